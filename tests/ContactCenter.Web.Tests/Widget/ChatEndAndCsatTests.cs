using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Tests.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>The customer ends the chat and rates it (CSAT) through /hubs/chat, over the real app.</summary>
public sealed class ChatEndAndCsatTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new();
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(HubConnection Connection, ConcurrentQueue<Guid> Ended)> CustomerAsync(string name)
    {
        var ended = new ConcurrentQueue<Guid>();
        var (connection, _) = await _host.CustomerAsync(_inbox.Id.Value, name, configure: c => c.On<Guid>(nameof(IChatClient.ChatEnded), id => ended.Enqueue(id)));
        return (connection, ended);
    }

    private Task<List<CsatRating>> RatingsAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AsNoTracking().ToListAsync());

    [Fact]
    public async Task EndChat_ResolvesByCustomer_PushesChatEnded_RepeatChangesNothing()
    {
        var (customer, ended) = await CustomerAsync("Carla");
        await using var _ = customer;
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Never mind, found it")).Within("send");

        var first = await customer.InvokeAsync<EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end");
        var again = await customer.InvokeAsync<EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end again");

        Assert.Equal(sent.ConversationId, first.ConversationId);
        Assert.False(first.AlreadyEnded);
        Assert.True(again.AlreadyEnded);
        var conversation = await _host.ConversationAsync(sent.ConversationId);
        Assert.Equal(ConversationStatus.Resolved, conversation.Status);
        var timeline = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.ConversationId == conversation.Id && t.Kind == TimelineKind.StatusChanged).ToListAsync());
        var resolved = Assert.Single(timeline, t => t.To == nameof(ConversationStatus.Resolved));
        Assert.Equal(ActorKind.Contact, resolved.ActorKind);
        Assert.Equal("Carla", resolved.ActorName);
        await Waits.UntilAsync(() => Task.FromResult(ended.Contains(sent.ConversationId)), "the ChatEnded push");

        var state = await customer.InvokeAsync<ChatStateDto>(nameof(ChatHub.GetChatState)).Within("state");
        Assert.Equal("ended", state.Status);
        Assert.False(state.Rated);
    }

    [Fact]
    public async Task RateConversation_BeforeTheChatEnds_IsRefused()
    {
        var (customer, _) = await CustomerAsync("Carla");
        await using var __ = customer;
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Hello?")).Within("send");

        var error = await Assert.ThrowsAsync<HubException>(() => customer.InvokeAsync<ChatRatingResult>(nameof(ChatHub.RateConversation), 5, "Great").Within("rate"));

        Assert.Contains("conflict.csat.not_ended", error.Message, StringComparison.Ordinal);
        Assert.Empty(await RatingsAsync());
    }

    [Theory]
    [InlineData(0, null, "validation.csat.score")]
    [InlineData(6, null, "validation.csat.score")]
    [InlineData(-1, "x", "validation.csat.score")]
    [InlineData(4, "LONG", "validation.csat.comment")]
    public async Task RateConversation_InvalidInput_RefusedWithValidation_StoresNothing(int rating, string? comment, string code)
    {
        var (customer, _) = await CustomerAsync("Carla");
        await using var __ = customer;
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Hello")).Within("send");
        await customer.InvokeAsync<EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end");

        var error = await Assert.ThrowsAsync<HubException>(() => customer.InvokeAsync<ChatRatingResult>(
            nameof(ChatHub.RateConversation), rating, comment == "LONG" ? new string('x', CsatRating.MaxCommentLength + 1) : comment).Within("rate"));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Empty(await RatingsAsync());
    }

    [Fact]
    public async Task RateConversation_AfterEnd_StoredOnce_RepeatIsIdempotent()
    {
        var (customer, _) = await CustomerAsync("Carla");
        await using var __ = customer;
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Thanks for the help")).Within("send");
        await customer.InvokeAsync<EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end");

        var first = await customer.InvokeAsync<ChatRatingResult>(nameof(ChatHub.RateConversation), 4, "  Quick and friendly  ").Within("rate");
        var again = await customer.InvokeAsync<ChatRatingResult>(nameof(ChatHub.RateConversation), 1, "changed my mind").Within("rate again");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(4, again.Rating);
        var rating = Assert.Single(await RatingsAsync());
        Assert.Equal(new ConversationId(sent.ConversationId), rating.ConversationId);
        Assert.Equal(4, rating.Score);
        Assert.Equal("Quick and friendly", rating.Comment);
        var state = await customer.InvokeAsync<ChatStateDto>(nameof(ChatHub.GetChatState)).Within("state");
        Assert.True(state.Rated);
    }

    [Fact]
    public async Task AgentResolves_CustomerIsToldTheChatEnded()
    {
        var (customer, ended) = await CustomerAsync("Carla");
        await using var __ = customer;
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Where is my parcel?")).Within("send");
        await using var agent = _host.AgentConnection(await _host.SignInAsync("alice@test.local"));
        await agent.StartAsync().Within("agent connect");
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId is not null, "the router to give Alice the chat");

        await agent.InvokeAsync(nameof(AgentHub.SetStatus), sent.ConversationId, ConversationStatus.Resolved, (DateTimeOffset?)null).Within("resolve");

        await Waits.UntilAsync(() => Task.FromResult(ended.Contains(sent.ConversationId)), "the ChatEnded push");
    }

    [Fact]
    public void CsatRating_Submit_RaisesCsatSubmitted_WithTheHandlingAgentAndTeam()
    {
        var team = TeamId.New();
        var agent = AgentId.New();
        var now = DateTimeOffset.UtcNow;
        var conversation = Conversation.Open(1, InboxId.New(), ChannelKind.WebChat, ContactId.New(), "Hi", team, Actor.System, now);
        conversation.Assign(agent, "Alice", Actor.Router, now);
        conversation.ChangeStatus(ConversationStatus.Resolved, Actor.System, now);

        var rating = CsatRating.Submit(conversation, 5, null, now).Value;

        var raised = Assert.IsType<CsatSubmitted>(Assert.Single(rating.DomainEvents));
        Assert.Equal(conversation.Id, raised.ConversationId);
        Assert.Equal(agent, raised.AgentId);
        Assert.Equal(team, raised.TeamId);
        Assert.Equal(5, raised.Score);
        Assert.False(raised.HasComment);
    }
}
