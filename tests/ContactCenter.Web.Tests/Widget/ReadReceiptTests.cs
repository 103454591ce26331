using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Tests.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>Read receipts from the widget (ChatHub.MarkRead): the agents' replies become "read", only in the visitor's own chat.</summary>
public sealed class ReadReceiptTests : IAsyncLifetime
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

    private async Task<(HubConnection Customer, Guid ConversationId)> CustomerAsync(string name, string text)
    {
        var (connection, _) = await _host.CustomerAsync(_inbox.Id.Value, name);
        return (connection, (await connection.SayAsync(text)).ConversationId);
    }

    private Task<DeliveryStatus> StatusAsync(Guid messageId) =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.Id == new MessageId(messageId)).Select(m => m.DeliveryStatus).SingleAsync());

    [Fact]
    public async Task MarkRead_OwnChat_RepliesUpToItBecomeRead_RepeatChangesNothing_OthersChatNotFound()
    {
        var (carla, conversationId) = await CustomerAsync("Carla", "Hello?");
        await using var _ = carla;
        var (mallory, __) = await CustomerAsync("Mallory", "Hi");
        await using var ___ = mallory;
        await using var agent = _host.AgentConnection(await _host.SignInAsync("alice@test.local"));
        await agent.StartAsync().Within("agent connect");
        var first = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(conversationId, "Hi Carla", false, "r-1")).Within("reply 1");
        var second = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(conversationId, "How can I help?", false, "r-2")).Within("reply 2");
        await Waits.UntilAsync(async () => await StatusAsync(second.MessageId) == DeliveryStatus.Sent, "the replies to be pushed (sent)");

        var refused = await Assert.ThrowsAsync<HubException>(() => mallory.InvokeAsync<ChatReadResult>(nameof(ChatHub.MarkRead), second.MessageId).Within("forged read"));
        Assert.Contains("not_found", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await StatusAsync(second.MessageId));

        var read = await carla.InvokeAsync<ChatReadResult>(nameof(ChatHub.MarkRead), second.MessageId).Within("read");
        var again = await carla.InvokeAsync<ChatReadResult>(nameof(ChatHub.MarkRead), second.MessageId).Within("read again");

        Assert.Equal(2, read.Marked);
        Assert.Equal(0, again.Marked);
        Assert.Equal(DeliveryStatus.Read, await StatusAsync(first.MessageId));
        Assert.Equal(DeliveryStatus.Read, await StatusAsync(second.MessageId));
    }
}
