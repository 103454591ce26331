using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Web.Tests.Routing;

/// <summary>
/// Routing end to end over real Kestrel, SignalR clients and SQLite, with the app's clock replaced by a
/// FakeTimeProvider: offers expiring, grace periods and overflow waits happen when the test advances time.
/// </summary>
public sealed class RoutingEndToEndTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ContactCenterHost _host;
    private Team _support = default!;
    private Team _billing = default!;
    private Inbox _chat = default!;

    public RoutingEndToEndTests()
    {
        _host = new ContactCenterHost(
            new Dictionary<string, string?>
            {
                ["Routing:OfflineGrace"] = "00:00:10",
                ["Routing:SweepInterval"] = "00:00:02",
            },
            time: _time);
    }

    public async Task InitializeAsync()
    {
        _support = await _host.CreateTeamAsync("Support");
        _billing = await _host.CreateTeamAsync("Billing");
        _chat = await _host.CreateInboxAsync("Chat", ChannelKind.WebChat, _support.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OfferMode_NoAnswerInTime_ReroutesToNextAgent_AndSetsFirstAway()
    {
        await _host.UpdateTeamAsync(_support.Id, t => t.ConfigureOffers(AssignmentMode.Offer, 10));
        await using var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        await using var b = await _host.ConnectAgentAsync("b@t.local", "Ben", _support.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var sent = await customer.SayAsync("Anyone there?");

        var first = await RoutingClients.EventuallyAsync(() => new[] { a, b }.FirstOrDefault(x => !x.Offers.IsEmpty), "the first offer");
        var second = first == a ? b : a;
        var conversation = await _host.ConversationAsync(sent.ConversationId);
        Assert.Null(conversation.AssigneeId);
        Assert.Equal(first.Agent.Id, conversation.OfferedAgentId);

        _time.Advance(TimeSpan.FromSeconds(11));

        var offer = await RoutingClients.EventuallyAsync(() => second.Offers.FirstOrDefault(), "the offer to move to the second agent");
        Assert.Equal(sent.ConversationId, offer.Conversation.Id);
        await Waits.UntilAsync(() => Task.FromResult(first.Withdrawn.Any(w => w.ConversationId == sent.ConversationId && w.Expired)), "the first agent's offer to be withdrawn as expired");
        await _host.UntilPresenceAsync(first.Agent.Id, Presence.Away);

        _time.Advance(TimeSpan.FromSeconds(1));
        await second.Connection.InvokeAsync(nameof(AgentHub.AcceptOffer), sent.ConversationId).Within("accept");
        conversation = await _host.ConversationAsync(sent.ConversationId);
        Assert.Equal(second.Agent.Id, conversation.AssigneeId);
        Assert.Null(conversation.OfferedAgentId);
        var kinds = (await _host.TimelineAsync(sent.ConversationId)).Select(t => t.Kind).Where(k => k is TimelineKind.Offered or TimelineKind.OfferExpired or TimelineKind.Assigned).ToList();
        Assert.Equal([TimelineKind.Offered, TimelineKind.OfferExpired, TimelineKind.Offered, TimelineKind.Assigned], kinds);
    }

    [Fact]
    public async Task OfferMode_Declined_GoesToTheOtherAgentAtOnce_AndLateAcceptIsRefused()
    {
        await _host.UpdateTeamAsync(_support.Id, t => t.ConfigureOffers(AssignmentMode.Offer, 30));
        await using var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        await using var b = await _host.ConnectAgentAsync("b@t.local", "Ben", _support.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var sent = await customer.SayAsync("Hello");
        var first = await RoutingClients.EventuallyAsync(() => new[] { a, b }.FirstOrDefault(x => !x.Offers.IsEmpty), "the first offer");
        var second = first == a ? b : a;

        await first.Connection.InvokeAsync(nameof(AgentHub.DeclineOffer), sent.ConversationId).Within("decline");

        await RoutingClients.EventuallyAsync(() => second.Offers.FirstOrDefault(), "the offer to the other agent");
        var late = await Assert.ThrowsAsync<HubException>(() => first.Connection.InvokeAsync(nameof(AgentHub.AcceptOffer), sent.ConversationId).Within("late accept"));
        Assert.Contains("conflict.conversation.offer_gone", late.Message, StringComparison.Ordinal);
        Assert.Equal(Presence.Online, await _host.PresenceAsync(first.Agent.Id));
    }

    [Fact]
    public async Task AgentGoesOffline_AfterGracePeriod_LiveChatsAreReroutedToAnotherAgent()
    {
        var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        var b = await _host.ConnectAgentAsync("b@t.local", "Ben", _support.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var sent = await customer.SayAsync("Help please");
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId is not null, "the first assignment");
        var holder = (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == a.Agent.Id ? a : b;
        var other = holder == a ? b : a;
        await using var __ = other;

        await holder.DisposeAsync();
        var tracker = _host.Services.GetRequiredService<PresenceTracker>();
        await Waits.UntilAsync(() => Task.FromResult(tracker.Count(holder.Agent.Id) == 0), "the server to see the disconnect");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(Presence.Online, await _host.PresenceAsync(holder.Agent.Id));
        _time.Advance(TimeSpan.FromSeconds(6));

        await _host.UntilPresenceAsync(holder.Agent.Id, Presence.Offline);
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == other.Agent.Id, "the chat to move to the other agent");
        var timeline = await _host.TimelineAsync(sent.ConversationId);
        Assert.Contains(timeline, t => t.Kind == TimelineKind.Unassigned && t.Note == "the agent went offline");
    }

    [Fact]
    public async Task AgentReconnects_WithinGracePeriod_StaysOnlineAndKeepsChats()
    {
        var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var sent = await customer.SayAsync("Hi");
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == a.Agent.Id, "assignment");

        await a.DisposeAsync();
        var tracker = _host.Services.GetRequiredService<PresenceTracker>();
        await Waits.UntilAsync(() => Task.FromResult(tracker.Count(a.Agent.Id) == 0), "the server to see the disconnect");
        _time.Advance(TimeSpan.FromSeconds(5));
        await using var again = await _host.ReconnectAsync("a@t.local");
        await Waits.UntilAsync(() => Task.FromResult(tracker.Count(a.Agent.Id) == 1), "the reconnect");
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Presence.Online, await _host.PresenceAsync(a.Agent.Id));
        Assert.Equal(a.Agent.Id, (await _host.ConversationAsync(sent.ConversationId)).AssigneeId);
    }

    [Fact]
    public async Task Overflow_AfterTheWaitLimit_AnotherTeamsAgentTakesIt()
    {
        await _host.UpdateTeamAsync(_support.Id, t => t.ConfigureOverflow(_billing.Id, 10));
        await using var billingAgent = await _host.ConnectAgentAsync("d@t.local", "Dana", _billing.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var router = _host.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
        var passes = router.Passes;
        var sent = await customer.SayAsync("Nobody in support?");
        await Waits.UntilAsync(() => Task.FromResult(router.Passes > passes), "the routing pass the message triggers");
        Assert.Null((await _host.ConversationAsync(sent.ConversationId)).AssigneeId);

        _time.Advance(TimeSpan.FromSeconds(11));

        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == billingAgent.Agent.Id, "the overflow assignment");
        var assigned = (await _host.TimelineAsync(sent.ConversationId)).Last(t => t.Kind == TimelineKind.Assigned);
        Assert.StartsWith("overflow", assigned.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturningCustomer_GoesBackToTheirLastAgent_EvenWhenAnotherIsLessRecentlyUsed()
    {
        await using var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        await using var b = await _host.ConnectAgentAsync("b@t.local", "Ben", _support.Id);
        var (customer, token) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        var first = await customer.SayAsync("First question");
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(first.ConversationId)).AssigneeId is not null, "assignment");
        var lastAgentId = (await _host.ConversationAsync(first.ConversationId)).AssigneeId!.Value;
        var last = a.Agent.Id == lastAgentId ? a : b;
        await last.Connection.InvokeAsync(nameof(AgentHub.SetStatus), first.ConversationId, ConversationStatus.Closed, (DateTimeOffset?)null).Within("close");
        await customer.DisposeAsync();

        // Both agents are now free; without stickiness the other agent (never assigned) would be next.
        var (back, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla", token);
        await using var __ = back;
        var second = await back.SayAsync("Me again");
        Assert.NotEqual(first.ConversationId, second.ConversationId);
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(second.ConversationId)).AssigneeId is not null, "assignment");
        Assert.Equal(lastAgentId, (await _host.ConversationAsync(second.ConversationId)).AssigneeId);
        var assigned = (await _host.TimelineAsync(second.ConversationId)).Last(t => t.Kind == TimelineKind.Assigned);
        Assert.StartsWith("sticky", assigned.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_ToTeamWithNote_RequeuesInThatTeam_AndKeepsTheNotePrivate()
    {
        await using var a = await _host.ConnectAgentAsync("a@t.local", "Ann", _support.Id);
        var (customer, _) = await _host.CustomerAsync(_chat.Id.Value, "Carla");
        await using var _ = customer;
        var history = new List<ContactCenter.Application.Realtime.ChatMessageDto>();
        customer.On<ContactCenter.Application.Realtime.ChatMessageDto>(nameof(IChatClient.MessageReceived), m => history.Add(m));
        var sent = await customer.SayAsync("Refund for INV-2291?");
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == a.Agent.Id, "assignment");
        await using var d = await _host.ConnectAgentAsync("d@t.local", "Dana", _billing.Id);

        await a.Connection.InvokeAsync(nameof(AgentHub.Transfer), sent.ConversationId, (Guid?)null, (Guid?)_billing.Id.Value, "Double charge, card ending 4242").Within("transfer");

        await Waits.UntilAsync(async () => (await _host.ConversationAsync(sent.ConversationId)).AssigneeId == d.Agent.Id, "billing to take it");
        var conversation = await _host.ConversationAsync(sent.ConversationId);
        Assert.Equal(_billing.Id, conversation.TeamId);
        var timeline = await _host.TimelineAsync(sent.ConversationId);
        Assert.Contains(timeline, t => t.Kind == TimelineKind.TeamChanged && t.Note == "Double charge, card ending 4242");
        Assert.DoesNotContain(history, m => m.Text.Contains("4242", StringComparison.Ordinal));
    }
}
