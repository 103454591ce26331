using System.Net;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Contacts;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Mentions;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Hubs;

/// <summary>The console's hub calls for mentions, filtered lists, contacts and transcripts, over real Kestrel and SignalR, with staff visibility.</summary>
public sealed class ConsoleHubTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private ConversationId _conversation;
    private Guid _contact;

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        var sales = await _host.CreateTeamAsync("Sales");
        await _host.CreateAgentAsync("alice@test.local", "Alice Chen", Domain.Agents.StaffRole.Agent, support.Id);
        await _host.CreateAgentAsync("carol@test.local", "Carol Diaz", Domain.Agents.StaffRole.Agent, support.Id);
        await _host.CreateAgentAsync("bob@test.local", "Bob", Domain.Agents.StaffRole.Agent, sales.Id);
        var inbox = await _host.CreateInboxAsync("Support mail", ChannelKind.Email, support.Id);
        (_conversation, _contact) = await _host.InScopeAsync(async sp =>
        {
            var received = await sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
                new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Email, "olga@example.com"), "Olga Petrova", "<m1@mail>", "My parcel 88-ZT never came"),
                CancellationToken.None);
            var summary = await sp.GetRequiredService<ConversationQueries>().SummaryAsync(received.Value.ConversationId, CancellationToken.None);
            return (received.Value.ConversationId, summary!.ContactId);
        });
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task<HubConnection> ConnectAsync(string email)
    {
        var agent = _host.AgentConnection(await _host.SignInAsync(email));
        await agent.StartAsync().Within("the agent to connect");
        return agent;
    }

    [Fact]
    public async Task SendReply_PrivateNoteMentioningAColleague_NotifiesThemLive_AndTheirMentionsViewListsIt()
    {
        await using var alice = await ConnectAsync("alice@test.local");
        await using var carol = await ConnectAsync("carol@test.local");
        var mentioned = new TaskCompletionSource<MentionDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        carol.On<MentionDto>(nameof(IAgentClient.Mentioned), m => mentioned.TrySetResult(m));

        await alice.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply),
            new AgentReplyRequest(_conversation.Value, "@Carol Diaz can you check the warehouse?", true, "note-1")).Within("the note");

        var mention = await mentioned.Task.Within("the mention to reach Carol");
        Assert.Equal((_conversation.Value, "Alice Chen"), (mention.ConversationId, mention.ByAgentName));
        var list = await carol.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.ListConversationsFiltered), new InboxFilter(InboxView.Mentions)).Within("the mentions view");
        Assert.Equal([_conversation.Value], list.Select(c => c.Id));
        var counts = await carol.InvokeAsync<InboxCounts>(nameof(AgentHub.GetCounts)).Within("the counts");
        Assert.Equal(1, counts.Mentions);
    }

    [Fact]
    public async Task ListConversationsFiltered_SearchInMessageText_FindsTheConversation()
    {
        await using var alice = await ConnectAsync("alice@test.local");

        var found = await alice.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.ListConversationsFiltered),
            new InboxFilter(InboxView.All, Search: "88-zt", Channel: ChannelKind.Email)).Within("the search");

        Assert.Equal([_conversation.Value], found.Select(c => c.Id));
    }

    [Fact]
    public async Task ContactAndTranscript_AgentOfTheTeam_Allowed_AgentOfAnotherTeam_RefusedByHubAndUrl()
    {
        await using var alice = await ConnectAsync("alice@test.local");
        await using var bob = await ConnectAsync("bob@test.local");

        var profile = await alice.InvokeAsync<ContactProfileDto>(nameof(AgentHub.GetContact), _contact).Within("the contact");
        Assert.Equal("Olga Petrova", profile.Name);
        Assert.Equal([_conversation.Value], profile.Conversations.Select(c => c.Id));
        await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync<ContactProfileDto>(nameof(AgentHub.GetContact), _contact).Within("refused contact"));
        await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync(nameof(AgentHub.EditContact), _contact, "Hacked", null).Within("refused edit"));
        await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync<ConversationDetail>(nameof(AgentHub.GetConversation), _conversation.Value).Within("refused detail"));
        await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync(nameof(AgentHub.Watch), _conversation.Value).Within("refused watch"));
        var bobsList = await bob.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.ListConversationsFiltered), new InboxFilter(InboxView.All, Search: "parcel")).Within("bob's list");
        Assert.Empty(bobsList);

        using var aliceHttp = _host.CreateRealClient(await _host.SignInAsync("alice@test.local"));
        using var bobHttp = _host.CreateRealClient(await _host.SignInAsync("bob@test.local"));
        var url = $"/api/v1/conversations/{_conversation.Value}/transcript?format=txt";
        using var allowed = await aliceHttp.GetAsync(new Uri(url, UriKind.Relative)).Within("alice's transcript");
        using var refused = await bobHttp.GetAsync(new Uri(url, UriKind.Relative)).Within("bob's transcript");
        using var html = await aliceHttp.GetAsync(new Uri(url.Replace("txt", "html", StringComparison.Ordinal), UriKind.Relative)).Within("the html transcript");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("attachment", allowed.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("My parcel 88-ZT never came", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }
}
