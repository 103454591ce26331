using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Sla;
using ContactCenter.Application.Supervision;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Web.Tests.Sla;

/// <summary>
/// The SLA sweep on two app nodes sharing one SQLite database, with the app's clock replaced by one FakeTimeProvider:
/// the test moves time to just before and just after each threshold and lets both nodes sweep at once.
/// </summary>
public sealed class SlaSweepTests : IAsyncLifetime
{
    private static readonly TimeSpan FirstResponse = TimeSpan.FromMinutes(60);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ContactCenterHost _nodeA = default!;
    private ContactCenterHost _nodeB = default!;
    private Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            // Sweeps are run by the test (both nodes at once); the Quartz trigger only fires when fake time passes its interval.
            ["Sla:SweepInterval"] = "01:00:00",
            ["Sla:AutoCloseResolvedAfter"] = "3.00:00:00",
            ["Sla:AutoClosePendingAfter"] = "5.00:00:00",
        };
        _nodeA = new ContactCenterHost(settings, time: _time);
        _ = _nodeA.BaseAddress;
        _nodeB = new ContactCenterHost(settings, time: _time, sharedDataDirectory: _nodeA.DataDirectory);
        _ = _nodeB.BaseAddress;

        var team = await _nodeA.CreateTeamAsync("Support");
        _inbox = await _nodeA.CreateInboxAsync("Mail", ChannelKind.Email, team.Id);
        await _nodeA.InScopeAsync(sp => sp.GetRequiredService<SlaAdministration>().CreatePolicyAsync(
            new SlaPolicyInput("Standard", 0, true, null, new Dictionary<Priority, SlaTargetsInput>
            {
                [Priority.Normal] = new((int)FirstResponse.TotalMinutes, 30, 8 * 60),
                [Priority.High] = new(30, 15, 4 * 60),
            }), CancellationToken.None));
    }

    public Task DisposeAsync()
    {
        _nodeB.Dispose();
        _nodeA.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sweep_TwoNodesSharingTheDatabase_RecordWarningAndBreachOnceEachWithinASecondOfDue()
    {
        var id = await ReceiveAsync("carla@example.com", "Where is my order?");
        var conversation = await LoadAsync(id);
        var warnAt = conversation.FirstResponseWarnAt!.Value;
        var dueAt = conversation.FirstResponseDueAt!.Value;
        Assert.Equal(conversation.CreatedAt + FirstResponse, dueAt);
        Assert.Equal(conversation.CreatedAt + (FirstResponse * 0.75), warnAt);

        await SweepBothAt(warnAt.AddSeconds(-1));
        Assert.Empty(await EventsAsync(id));

        await SweepBothAt(warnAt.AddMilliseconds(500));
        var warning = Assert.Single(await EventsAsync(id));
        Assert.Equal((SlaMetric.FirstResponse, SlaEventKind.Warning), (warning.Metric, warning.Kind));
        Assert.InRange(warning.RecordedAt - warnAt, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        await SweepBothAt(dueAt.AddSeconds(-1));
        Assert.Single(await EventsAsync(id));

        await SweepBothAt(dueAt.AddMilliseconds(500));
        await SweepBothAt(dueAt.AddSeconds(30));
        var events = await EventsAsync(id);
        Assert.Equal(2, events.Count);
        var breach = Assert.Single(events, e => e.Kind == SlaEventKind.Breach);
        Assert.Equal(SlaMetric.FirstResponse, breach.Metric);
        Assert.InRange(breach.RecordedAt - dueAt, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        // Escalated once (Normal → High), with the warning and the breach on the conversation's timeline.
        var after = await LoadAsync(id);
        Assert.Equal(Priority.High, after.Priority);
        var timeline = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.ConversationId == id).Select(t => t.Kind).ToListAsync());
        Assert.Equal(1, timeline.Count(k => k == TimelineKind.SlaWarning));
        Assert.Equal(1, timeline.Count(k => k == TimelineKind.SlaBreached));
        Assert.Equal(1, timeline.Count(k => k == TimelineKind.PriorityChanged));
    }

    [Fact]
    public async Task Sweep_ManyConversationsBothNodes_EachThresholdRecordedExactlyOnce()
    {
        var ids = new List<ConversationId>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await ReceiveAsync($"c{i}@example.com", $"Question {i}"));
        }

        var latestDue = (await Task.WhenAll(ids.Select(LoadAsync))).Max(c => c.FirstResponseDueAt!.Value);
        await SweepBothAt(latestDue.AddSeconds(1));
        await SweepBothAt(latestDue.AddSeconds(2));

        var events = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<ISlaDbContext>().SlaEvents.AsNoTracking().ToListAsync());
        Assert.Equal(ids.Count * 2, events.Count);
        Assert.All(ids, id =>
        {
            Assert.Single(events, e => e.ConversationId == id && e.Kind == SlaEventKind.Warning);
            Assert.Single(events, e => e.ConversationId == id && e.Kind == SlaEventKind.Breach);
        });
    }

    [Fact]
    public async Task Sweep_PendingOnTheCustomer_PausesTheClockAndShiftsTheDueTime()
    {
        var id = await ReceiveAsync("paul@example.com", "Refund?");
        var before = await LoadAsync(id);
        await ChangeStatusAsync(id, ConversationStatus.Pending);

        await SweepBothAt(before.FirstResponseDueAt!.Value.AddMinutes(10));
        Assert.Empty(await EventsAsync(id));

        var pausedFor = _time.GetUtcNow() - before.CreatedAt - TimeSpan.FromSeconds(1);
        await ChangeStatusAsync(id, ConversationStatus.Open);
        var after = await LoadAsync(id);
        Assert.True(after.FirstResponseDueAt > before.FirstResponseDueAt + pausedFor - TimeSpan.FromSeconds(2));
        Assert.Null(after.SlaPausedAt);
    }

    [Fact]
    public async Task Sweep_PendingAndSilentLongEnough_AutoClosesOnce()
    {
        var pending = await ReceiveAsync("pia@example.com", "I'll send the photos");
        var lastMessage = (await LoadAsync(pending)).LastMessageAt;
        await ChangeStatusAsync(pending, ConversationStatus.Pending);

        await SweepBothAt(lastMessage.AddDays(5).AddSeconds(-1));
        Assert.Equal(ConversationStatus.Pending, (await LoadAsync(pending)).Status);

        await SweepBothAt(lastMessage.AddDays(5).AddSeconds(1));
        Assert.Equal(ConversationStatus.Closed, (await LoadAsync(pending)).Status);
        var closings = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .CountAsync(t => t.ConversationId == pending && t.Kind == TimelineKind.StatusChanged && t.To == nameof(ConversationStatus.Closed)));
        Assert.Equal(1, closings);
    }

    [Fact]
    public async Task Sweep_SnoozedUntilNowAndLongResolved_WakesAndAutoCloses()
    {
        var snoozed = await ReceiveAsync("sam@example.com", "Call me tomorrow");
        var resolved = await ReceiveAsync("rita@example.com", "Thanks, done");
        await ChangeStatusAsync(snoozed, ConversationStatus.Snoozed, _time.GetUtcNow().AddHours(12));
        await ChangeStatusAsync(resolved, ConversationStatus.Resolved);

        await SweepBothAt(_time.GetUtcNow().AddHours(12).AddSeconds(-1));
        Assert.Equal(ConversationStatus.Snoozed, (await LoadAsync(snoozed)).Status);

        await SweepBothAt(_time.GetUtcNow().AddSeconds(2));
        Assert.Equal(ConversationStatus.Open, (await LoadAsync(snoozed)).Status);
        Assert.Equal(ConversationStatus.Resolved, (await LoadAsync(resolved)).Status);

        await SweepBothAt(_time.GetUtcNow().AddDays(3));
        Assert.Equal(ConversationStatus.Closed, (await LoadAsync(resolved)).Status);
        var statusChanges = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .CountAsync(t => t.ConversationId == resolved && t.Kind == TimelineKind.StatusChanged && t.To == nameof(ConversationStatus.Closed)));
        Assert.Equal(1, statusChanges);
    }

    [Fact]
    public async Task Sweep_Breach_SupervisorsOnBothNodesGetOneAlertInAllAndSeeItInTheBreachedList()
    {
        // No backplane here: the node that records the breach pushes it to its own clients, so the supervisor is on both nodes.
        await _nodeA.CreateAgentAsync("sup@t.local", "Sue Supervisor", StaffRole.Supervisor);
        await using var onA = _nodeA.AgentConnection(await _nodeA.SignInAsync("sup@t.local"));
        await using var onB = _nodeB.AgentConnection(await _nodeB.SignInAsync("sup@t.local"));
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<SlaAlertDto>();
        var breached = new TaskCompletionSource<SlaAlertDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var connection in new[] { onA, onB })
        {
            connection.On<SlaAlertDto>(nameof(IAgentClient.SlaAlert), a =>
            {
                alerts.Enqueue(a);
                if (a.Kind == SlaEventKind.Breach)
                {
                    breached.TrySetResult(a);
                }
            });
            await connection.StartAsync().Within("supervisor connection");
        }

        var id = await ReceiveAsync("bea@example.com", "Still waiting");
        var due = (await LoadAsync(id)).FirstResponseDueAt!.Value;
        await SweepBothAt(due.AddMilliseconds(200));

        var alert = await breached.Task.Within("the breach alert pushed to a supervisor");
        Assert.Equal((id.Value, SlaMetric.FirstResponse, due), (alert.ConversationId, alert.Metric, alert.DueAt));
        var snapshot = await onB.InvokeAsync<SupervisorSnapshot>(nameof(AgentHub.GetSupervisorSnapshot)).Within("snapshot");
        Assert.Contains(snapshot.Sla!.Breached, b => b.ConversationId == id.Value && b.Metric == SlaMetric.FirstResponse);

        // A round trip on each connection after another double sweep: any second push would have arrived by now.
        await SweepBothAt(due.AddSeconds(5));
        await onA.InvokeAsync<SupervisorSnapshot>(nameof(AgentHub.GetSupervisorSnapshot)).Within("snapshot A");
        await onB.InvokeAsync<SupervisorSnapshot>(nameof(AgentHub.GetSupervisorSnapshot)).Within("snapshot B");
        Assert.Single(alerts, a => a.Kind == SlaEventKind.Breach && a.ConversationId == id.Value);
        Assert.Single(alerts, a => a.Kind == SlaEventKind.Warning && a.ConversationId == id.Value);
    }

    /// <summary>Moves the shared clock and runs the sweep on both nodes at the same time.</summary>
    private async Task SweepBothAt(DateTimeOffset at)
    {
        _time.SetUtcNow(at);
        var sweeps = new[] { _nodeA, _nodeB }.Select(node => Task.Run(() =>
            node.InScopeAsync(sp => sp.GetRequiredService<SlaSweeper>().SweepAsync(CancellationToken.None))));
        await Task.WhenAll(sweeps).Within("both nodes' sweeps");
    }

    private async Task<ConversationId> ReceiveAsync(string email, string text)
    {
        var result = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.Email, email), email, Guid.NewGuid().ToString("N"), text, Subject: text),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!.ConversationId;
    }

    private Task ChangeStatusAsync(ConversationId id, ConversationStatus status, DateTimeOffset? snoozeUntil = null) =>
        _nodeA.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.FirstAsync(c => c.Id == id);
            var changed = conversation.ChangeStatus(status, Actor.System, _time.GetUtcNow(), snoozeUntil);
            Assert.True(changed.IsSuccess, changed.Error?.Message);
            await db.SaveChangesAsync();
        });

    private Task<Conversation> LoadAsync(ConversationId id) =>
        _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().FirstAsync(c => c.Id == id));

    private Task<List<SlaEvent>> EventsAsync(ConversationId id) =>
        _nodeA.InScopeAsync(sp => sp.GetRequiredService<ISlaDbContext>().SlaEvents.AsNoTracking().Where(e => e.ConversationId == id).ToListAsync());
}
