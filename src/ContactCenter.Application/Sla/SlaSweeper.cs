using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Sla;

/// <summary>What one sweep did on this node.</summary>
public sealed record SlaSweepReport(DateTimeOffset At, int Warnings, int Breaches, int AlreadyRecorded, int Woken, int Closed);

/// <summary>
/// The periodic SLA work of one node (run by a Quartz job on every node): records each warning and breach exactly once
/// (the insert of the SLA event and the conversation's timeline/escalation commit together, guarded by the unique key on
/// conversation + metric + kind, so two nodes sweeping the same database cannot both fire), wakes snoozed conversations
/// whose time has come and closes conversations resolved long enough ago.
/// </summary>
public sealed partial class SlaSweeper(IApplicationDbContext db, ISlaDbContext sla, TimeProvider time, IOptions<SlaOptions> options, SlaSweepStatus status, ILogger<SlaSweeper> logger)
{
    private static readonly Actor SlaActor = new(ActorKind.Automation, null, "SLA");
    private static readonly SlaMetric[] Metrics = [SlaMetric.FirstResponse, SlaMetric.NextResponse, SlaMetric.Resolution];

    public async Task<SlaSweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (warnings, breaches, duplicates) = await RecordThresholdsAsync(now, cancellationToken);
        var woken = await WakeSnoozedAsync(now, cancellationToken);
        var closed = await AutoCloseAsync(now, cancellationToken);
        var report = new SlaSweepReport(now, warnings, breaches, duplicates, woken, closed);
        status.Record(report);
        if (warnings + breaches + woken + closed > 0)
        {
            LogSwept(logger, warnings, breaches, duplicates, woken, closed);
        }

        return report;
    }

    private async Task<(int Warnings, int Breaches, int Duplicates)> RecordThresholdsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = sla.SlaEvents;
        var ids = await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Snoozed) && c.MergedIntoId == null)
            // Warning times come no later than due times, so this index-friendly gate (one index per warning column) holds every candidate.
            .Where(c => c.FirstResponseWarnAt <= now || c.NextResponseWarnAt <= now || c.ResolutionWarnAt <= now)
            .Where(c =>
                (c.FirstResponseWarnAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.FirstResponse && e.Kind == SlaEventKind.Warning))
                || (c.FirstResponseDueAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.FirstResponse && e.Kind == SlaEventKind.Breach))
                || (c.NextResponseWarnAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.NextResponse && e.Kind == SlaEventKind.Warning))
                || (c.NextResponseDueAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.NextResponse && e.Kind == SlaEventKind.Breach))
                || (c.ResolutionWarnAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.Resolution && e.Kind == SlaEventKind.Warning))
                || (c.ResolutionDueAt <= now && !events.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.Resolution && e.Kind == SlaEventKind.Breach)))
            .Select(c => c.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);

        int warnings = 0, breaches = 0, duplicates = 0;
        foreach (var id in ids)
        {
            var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (conversation is null || !conversation.SlaRunning)
            {
                db.DiscardChanges();
                continue;
            }

            var recorded = await events.AsNoTracking().Where(e => e.ConversationId == id).Select(e => new { e.Metric, e.Kind }).ToListAsync(cancellationToken);
            var fired = new List<SlaEvent>();
            foreach (var metric in Metrics)
            {
                if (conversation.DueAt(metric) is not { } due || conversation.WarnAt(metric) is not { } warn)
                {
                    continue;
                }

                foreach (var (kind, threshold) in new[] { (SlaEventKind.Warning, warn), (SlaEventKind.Breach, due) })
                {
                    if (threshold <= now && !recorded.Any(r => r.Metric == metric && r.Kind == kind))
                    {
                        fired.Add(SlaEvent.Record(conversation.Id, conversation.TeamId, metric, kind, due, threshold, now, Environment.MachineName + "/" + status.NodeId));
                    }
                }
            }

            if (fired.Count == 0)
            {
                db.DiscardChanges();
                continue;
            }

            foreach (var e in fired)
            {
                events.Add(e);
                conversation.RecordSlaThreshold(e.Metric, e.Kind, e.DueAt, now);
            }

            if (options.Value.RaisePriorityOnBreach && fired.Any(e => e.Kind == SlaEventKind.Breach) && conversation.Priority < Priority.Urgent)
            {
                conversation.ChangePriority(conversation.Priority + 1, SlaActor, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                warnings += fired.Count(e => e.Kind == SlaEventKind.Warning);
                breaches += fired.Count(e => e.Kind == SlaEventKind.Breach);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The conversation changed meanwhile (an agent, or another node's sweep): nothing was written; look again next sweep.
                db.DiscardChanges();
                duplicates++;
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // Another node recorded it first: exactly once holds, this node's attempt is dropped whole.
                db.DiscardChanges();
                duplicates++;
            }

            db.DiscardChanges();
        }

        return (warnings, breaches, duplicates);
    }

    private async Task<int> WakeSnoozedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await db.Conversations
            .Where(c => c.Status == ConversationStatus.Snoozed && c.SnoozedUntil <= now)
            .OrderBy(c => c.SnoozedUntil)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        return await SaveEachAsync(due, c => c.Wake(now).IsSuccess, cancellationToken);
    }

    private async Task<int> AutoCloseAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var closed = 0;
        if (options.Value.AutoCloseResolvedAfter is { } resolvedAfter && resolvedAfter > TimeSpan.Zero)
        {
            var cutoff = now - resolvedAfter;
            var stale = await db.Conversations
                .Where(c => c.Status == ConversationStatus.Resolved && c.ResolvedAt <= cutoff)
                .OrderBy(c => c.ResolvedAt)
                .Take(options.Value.BatchSize)
                .ToListAsync(cancellationToken);
            closed += await SaveEachAsync(stale, c => c.ChangeStatus(ConversationStatus.Closed, Actor.System, now).IsSuccess, cancellationToken);
        }

        if (options.Value.AutoClosePendingAfter is { } pendingAfter && pendingAfter > TimeSpan.Zero)
        {
            // Pending on the customer and silent that long (by the (Status, LastMessageAt) index).
            var cutoff = now - pendingAfter;
            var silent = await db.Conversations
                .Where(c => c.Status == ConversationStatus.Pending && c.LastMessageAt <= cutoff)
                .OrderBy(c => c.LastMessageAt)
                .Take(options.Value.BatchSize)
                .ToListAsync(cancellationToken);
            closed += await SaveEachAsync(silent, c => c.ChangeStatus(ConversationStatus.Closed, Actor.System, now).IsSuccess, cancellationToken);
        }

        return closed;
    }

    /// <summary>Saves each conversation on its own; one changed meanwhile (or by another node) is left for the next sweep.</summary>
    private async Task<int> SaveEachAsync(List<Conversation> conversations, Func<Conversation, bool> change, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var conversation in conversations)
        {
            if (!change(conversation))
            {
                continue;
            }

            var saved = await db.SaveOrConflictAsync(cancellationToken);
            if (saved.IsSuccess)
            {
                done++;
            }
        }

        db.DiscardChanges();
        return done;
    }

    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "SLA sweep: {Warnings} warnings, {Breaches} breaches ({Duplicates} left to another node), {Woken} woken, {Closed} auto-closed")]
    private static partial void LogSwept(ILogger logger, int warnings, int breaches, int duplicates, int woken, int closed);
}

/// <summary>This node's sweep count and last report (for health, tests and diagnostics).</summary>
public sealed class SlaSweepStatus
{
    private long _completed;

    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..8];

    public long Completed => Interlocked.Read(ref _completed);

    public SlaSweepReport? Last { get; private set; }

    internal void Record(SlaSweepReport report)
    {
        Last = report;
        Interlocked.Increment(ref _completed);
    }
}
