using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Hubs;

/// <summary>One live conversation end to end over real Kestrel, real SignalR clients and a real SQLite file.</summary>
public sealed class LiveConversationTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Domain.Inboxes.Inbox _inbox = default!;
    private Domain.Agents.Agent _agent = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        _agent = await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task<WidgetSessionResponse> StartVisitorAsync(string? name = "Carla")
    {
        using var client = _host.CreateRealClient();
        using var response = await client.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, name));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
    }

    private async Task<(HubConnection Agent, ConcurrentQueue<MessageDto> Messages, ConcurrentQueue<ConversationSummaryDto> Updates)> ConnectAgentAsync()
    {
        var cookies = await _host.SignInAsync("alice@test.local");
        var agent = _host.AgentConnection(cookies);
        var messages = new ConcurrentQueue<MessageDto>();
        var updates = new ConcurrentQueue<ConversationSummaryDto>();
        agent.On<MessageDto>(nameof(IAgentClient.MessageCreated), m => messages.Enqueue(m));
        agent.On<ConversationSummaryDto>(nameof(IAgentClient.ConversationUpdated), c => updates.Enqueue(c));
        await agent.StartAsync().Within("the agent to connect");
        return (agent, messages, updates);
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe, string what) where T : class
    {
        using var timeout = new CancellationTokenSource(Waits.Default);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    [Fact]
    public async Task CustomerMessage_ReachesAgent_AndAgentReplyReachesCustomer_StoredExactlyOnce()
    {
        var (agent, agentMessages, agentUpdates) = await ConnectAgentAsync();
        await using var _ = agent;
        var session = await StartVisitorAsync();
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        var customerReceived = new TaskCompletionSource<ChatMessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.On<ChatMessageDto>(nameof(IChatClient.MessageReceived), m =>
        {
            if (!m.FromCustomer)
            {
                customerReceived.TrySetResult(m);
            }
        });
        await customer.StartAsync().Within("the customer to connect");

        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("client-1", "Hello, my parcel is late")).Within("the customer's send");
        Assert.False(sent.Duplicate);

        var atAgent = await EventuallyAsync(() => agentMessages.FirstOrDefault(m => m.Id == sent.MessageId), "the agent to receive the customer's message");
        Assert.Equal("Hello, my parcel is late", atAgent.Text);
        Assert.Equal(MessageDirection.Inbound, atAgent.Direction);
        var assigned = await EventuallyAsync(() => agentUpdates.FirstOrDefault(c => c.Id == sent.ConversationId && c.AssigneeId == _agent.Id.Value), "the router to assign the agent");
        Assert.Equal(ConversationStatus.Open, assigned.Status);

        var reply = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(sent.ConversationId, "Sorry! Checking it now.", false, "agent-1")).Within("the agent's reply");
        var atCustomer = await customerReceived.Task.Within("the customer to receive the reply");
        Assert.Equal(reply.MessageId, atCustomer.Id);
        Assert.Equal("Sorry! Checking it now.", atCustomer.Text);
        Assert.Equal("Alice", atCustomer.AuthorName);

        // A retried send (same client message id) is acknowledged as a duplicate and stores nothing.
        var retried = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("client-1", "Hello, my parcel is late")).Within("the retried send");
        Assert.True(retried.Duplicate);
        Assert.Equal(sent.MessageId, retried.MessageId);
        var retriedReply = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(sent.ConversationId, "Sorry! Checking it now.", false, "agent-1")).Within("the retried reply");
        Assert.True(retriedReply.Duplicate);

        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync());
        Assert.Collection(
            stored,
            m => Assert.Equal(("Hello, my parcel is late", MessageDirection.Inbound), (m.Text, m.Direction)),
            m => Assert.Equal(("Sorry! Checking it now.", MessageDirection.Outbound), (m.Text, m.Direction)));
        var conversation = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync());
        Assert.Equal(_agent.Id, conversation.AssigneeId);
        Assert.NotNull(conversation.FirstRespondedAt);
    }

    [Fact]
    public async Task CustomerReturning_WithVisitorToken_GetsHistoryOfOwnConversationOnly()
    {
        var session = await StartVisitorAsync();
        await using (var first = _host.CustomerConnection(session.VisitorToken))
        {
            await first.StartAsync().Within("connect");
            await first.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "First visit")).Within("send");
        }

        var other = await StartVisitorAsync("Someone else");
        await using (var stranger = _host.CustomerConnection(other.VisitorToken))
        {
            await stranger.StartAsync().Within("connect");
            await stranger.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Not yours")).Within("send");
        }

        using var client = _host.CreateRealClient();
        using var resumed = await client.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, session.VisitorToken, null));
        var again = (await resumed.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        Assert.True(again.Resumed);
        Assert.Equal(session.ContactId, again.ContactId);

        await using var back = _host.CustomerConnection(again.VisitorToken);
        await back.StartAsync().Within("reconnect");
        var history = await back.InvokeAsync<IReadOnlyList<ChatMessageDto>>(nameof(ChatHub.GetHistory)).Within("history");
        var only = Assert.Single(history);
        Assert.Equal("First visit", only.Text);
    }

    [Theory]
    [InlineData("", "validation.message.empty")]
    [InlineData("   ", "validation.message.empty")]
    [InlineData(null, "validation.message.too_long")]
    public async Task SendMessage_EmptyOrOversized_RefusedWithClearErrorAndNothingStored(string? text, string expectedCode)
    {
        text ??= new string('x', 100 * 1024);
        var session = await StartVisitorAsync();
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("connect");

        var error = await Assert.ThrowsAsync<HubException>(() => customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", text)).Within("send"));
        Assert.Contains(expectedCode + ":", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, customer.State);
        var count = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync());
        Assert.Equal(0, count);
        Assert.Equal(0, await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.CountAsync()));
    }

    [Fact]
    public async Task SendMessage_WithoutClientMessageId_Refused()
    {
        var session = await StartVisitorAsync();
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("connect");
        var error = await Assert.ThrowsAsync<HubException>(() => customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(null, "hi")).Within("send"));
        Assert.Contains("validation.message.client_id:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatHub_ForgedVisitorToken_ConnectionRefusedAndNothingStored()
    {
        var session = await StartVisitorAsync();
        var forged = session.VisitorToken[..^4] + (session.VisitorToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        foreach (var token in new[] { forged, "not-a-token", Convert.ToBase64String(new byte[64]) })
        {
            await using var customer = _host.CustomerConnection(token);
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => customer.StartAsync().Within("connect"));
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }

        Assert.Equal(0, await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync()));
    }

    [Fact]
    public async Task ChatHub_NoToken_ConnectionRefused()
    {
        await using var customer = new HubConnectionBuilder().WithUrl(new Uri(_host.BaseAddress, "hubs/chat")).Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => customer.StartAsync().Within("connect"));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task AgentHub_Unauthenticated_ConnectionRefused()
    {
        await using var anonymous = _host.AgentConnection(new CookieContainer());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync().Within("connect"));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task AgentHub_VisitorTokenInsteadOfStaff_ConnectionRefused()
    {
        var session = await StartVisitorAsync();
        await using var impostor = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.BaseAddress, "hubs/agent"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(session.VisitorToken))
            .Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => impostor.StartAsync().Within("connect"));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task AgentHub_Connect_SetsOnline_AndLastDisconnect_SetsOffline()
    {
        var (agent, _, _) = await ConnectAgentAsync();
        async Task<Domain.Agents.Presence> PresenceAsync() => await _host.InScopeAsync(sp =>
            sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking().Where(a => a.Id == _agent.Id).Select(a => a.Presence).SingleAsync());
        async Task Until(Domain.Agents.Presence expected)
        {
            // The hub's OnConnected/OnDisconnected run after the client's call returns: poll, bounded.
            using var timeout = new CancellationTokenSource(Waits.Default);
            while (await PresenceAsync() != expected)
            {
                Assert.False(timeout.IsCancellationRequested, $"Presence never became {expected}.");
                await Task.Delay(20, CancellationToken.None);
            }
        }

        await Until(Domain.Agents.Presence.Online);
        await agent.DisposeAsync();
        await Until(Domain.Agents.Presence.Offline);
    }

    [Fact]
    public async Task AgentHub_SetSignature_StoredForTheCallerOnly_TooLongRefused()
    {
        var (agent, _, _) = await ConnectAgentAsync();
        await using var _ = agent;

        await agent.InvokeAsync(nameof(AgentHub.SetSignature), "Alice\nAcme Customer Care").Within("set the signature");
        var readBack = await agent.InvokeAsync<string?>(nameof(AgentHub.GetSignature)).Within("read the signature");
        var error = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync(nameof(AgentHub.SetSignature), new string('x', 1001)).Within("too long"));

        Assert.Equal("Alice\nAcme Customer Care", readBack);
        Assert.Contains("validation.agent.signature", error.Message, StringComparison.Ordinal);
        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking().SingleAsync(a => a.Id == _agent.Id));
        Assert.Equal("Alice\nAcme Customer Care", stored.Signature);
    }

    [Fact]
    public async Task AgentHub_ReplyToConversationOfAnotherTeam_RefusedAsNotFound()
    {
        var otherTeam = await _host.CreateTeamAsync("Billing");
        var billingInbox = await _host.CreateInboxAsync("Billing chat", ChannelKind.WebChat, otherTeam.Id);
        using var client = _host.CreateRealClient();
        using var response = await client.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(billingInbox.Id.Value, null, "Dan"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("connect");
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Invoice question")).Within("send");

        var (agent, _, _) = await ConnectAgentAsync();
        await using var _ = agent;
        var error = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(sent.ConversationId, "Peeking", false, null)).Within("reply"));
        Assert.Contains("not_found:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendMessage_WithOfferedTeamChoice_OpensConversationInThatTeam_UnofferedChoiceIgnored()
    {
        var billing = await _host.CreateTeamAsync("Billing");
        var hidden = await _host.CreateTeamAsync("Internal");
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == _inbox.Id);
            inbox.SetSetting(ContactCenter.Application.Conversations.Ingest.InboxTeams.Setting, $"{inbox.DefaultTeamId},{billing.Id}");
            await db.SaveChangesAsync();
        });
        using (var http = _host.CreateRealClient())
        {
            var config = await http.GetFromJsonAsync<ContactCenter.Application.Visitors.WidgetConfig>($"api/v1/widget/config/{_inbox.Id.Value}");
            Assert.Equal(["Billing", "Support"], config!.Teams.Select(t => t.Name).ToArray());
        }

        var first = await StartVisitorAsync("Pia");
        await using var pia = _host.CustomerConnection(first.VisitorToken);
        await pia.StartAsync().Within("connect");
        var toBilling = await pia.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Invoice question", billing.Id.Value)).Within("send");

        var second = await StartVisitorAsync("Max");
        await using var max = _host.CustomerConnection(second.VisitorToken);
        await max.StartAsync().Within("connect");
        var sneaky = await max.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Let me in", hidden.Id.Value)).Within("send");

        var teams = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .ToDictionaryAsync(c => c.Id.Value, c => c.TeamId));
        Assert.Equal(billing.Id, teams[toBilling.ConversationId]);
        Assert.NotEqual(hidden.Id, teams[sneaky.ConversationId]);
    }
}
