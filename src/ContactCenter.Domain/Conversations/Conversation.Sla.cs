using System.Globalization;
using ContactCenter.Domain.Sla;

namespace ContactCenter.Domain.Conversations;

/// <summary>The conversation's SLA: due and warning times computed from a policy's targets with an <see cref="SlaClock"/>.</summary>
public sealed partial class Conversation
{
    /// <summary>The policy whose targets the due times come from (null: no SLA).</summary>
    public SlaPolicyId? SlaPolicyId { get; private set; }

    /// <summary>Since when the SLA clock is paused (pending on the customer).</summary>
    public DateTimeOffset? SlaPausedAt { get; private set; }

    /// <summary>Working time spent paused so far; first-response and resolution due times move by it.</summary>
    public TimeSpan SlaPausedWorkingTime { get; private set; }

    /// <summary>Since when the customer has waited for a public agent reply (the next-response clock's start).</summary>
    public DateTimeOffset? AwaitingReplySince { get; private set; }

    public DateTimeOffset? FirstResponseWarnAt { get; private set; }
    public DateTimeOffset? NextResponseWarnAt { get; private set; }
    public DateTimeOffset? ResolutionWarnAt { get; private set; }

    /// <summary>Whether the SLA counts right now: active, not merged, not pending on the customer.</summary>
    public bool SlaRunning => Status is ConversationStatus.New or ConversationStatus.Open or ConversationStatus.Snoozed && MergedIntoId is null;

    public DateTimeOffset? DueAt(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => FirstResponseDueAt,
        SlaMetric.NextResponse => NextResponseDueAt,
        _ => ResolutionDueAt,
    };

    public DateTimeOffset? WarnAt(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => FirstResponseWarnAt,
        SlaMetric.NextResponse => NextResponseWarnAt,
        _ => ResolutionWarnAt,
    };

    /// <summary>
    /// Recomputes the SLA from the conversation's state (idempotent; call it whenever the conversation changed).
    /// Pending pauses the clock; leaving pending adds the paused working time to the first-response and resolution
    /// targets. First response runs from creation until the first public reply; next response from the oldest
    /// unanswered customer message (after the first reply) until the next public reply; resolution from creation until
    /// resolved. A metric is warned when <paramref name="warningShare"/> of its target has elapsed.
    /// </summary>
    /// <returns>True when a due or warning time changed.</returns>
    public bool PlanSla(SlaPolicyId? policyId, SlaTargets targets, SlaClock clock, double warningShare, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(clock);
        if (warningShare is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(warningShare), "The warning share is in (0, 1].");
        }

        SlaPolicyId = policyId;
        if (Status == ConversationStatus.Pending && MergedIntoId is null)
        {
            // Paused: the due times stay as they were (the sweep skips pending conversations) until the clock resumes.
            SlaPausedAt ??= now;
            return false;
        }

        if (SlaPausedAt is { } since)
        {
            SlaPausedWorkingTime += clock.WorkingTimeBetween(since, now);
            SlaPausedAt = null;
        }

        var active = SlaRunning;
        var first = active && FirstRespondedAt is null ? Plan(clock, CreatedAt, targets.FirstResponse, SlaPausedWorkingTime, warningShare) : default;
        var next = active && FirstRespondedAt is not null && AwaitingReplySince is { } waiting
            ? Plan(clock, waiting, targets.NextResponse, TimeSpan.Zero, warningShare)
            : default;
        var resolution = active ? Plan(clock, CreatedAt, targets.Resolution, SlaPausedWorkingTime, warningShare) : default;

        var changed = (FirstResponseDueAt, FirstResponseWarnAt, NextResponseDueAt, NextResponseWarnAt, ResolutionDueAt, ResolutionWarnAt)
            != (first.Due, first.Warn, next.Due, next.Warn, resolution.Due, resolution.Warn);
        if (!changed)
        {
            return false;
        }

        var dueChanged = (FirstResponseDueAt, NextResponseDueAt, ResolutionDueAt) != (first.Due, next.Due, resolution.Due);
        (FirstResponseDueAt, FirstResponseWarnAt) = (first.Due, first.Warn);
        (NextResponseDueAt, NextResponseWarnAt) = (next.Due, next.Warn);
        (ResolutionDueAt, ResolutionWarnAt) = (resolution.Due, resolution.Warn);
        if (dueChanged)
        {
            AddTimeline(TimelineKind.SlaChanged, Actor.System, now, to: Describe(first.Due, next.Due, resolution.Due));
        }

        return true;
    }

    private static (DateTimeOffset? Due, DateTimeOffset? Warn) Plan(SlaClock clock, DateTimeOffset start, TimeSpan? target, TimeSpan paused, double share)
    {
        if (target is not { } t)
        {
            return default;
        }

        return (clock.Add(start, t + paused), clock.Add(start, (t * share) + paused));
    }

    private static string Describe(DateTimeOffset? first, DateTimeOffset? next, DateTimeOffset? resolution)
    {
        static string F(DateTimeOffset? d) => d?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
        return $"first {F(first)}; next {F(next)}; resolution {F(resolution)}";
    }

    /// <summary>
    /// Records on the timeline that a metric reached its warning or breach moment and raises <see cref="SlaThresholdReached"/>.
    /// The caller guarantees once-only (the SLA event row is unique per conversation, metric and kind).
    /// </summary>
    public void RecordSlaThreshold(SlaMetric metric, SlaEventKind kind, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var label = metric switch
        {
            SlaMetric.FirstResponse => "first response",
            SlaMetric.NextResponse => "next response",
            _ => "resolution",
        };
        AddTimeline(kind == SlaEventKind.Breach ? TimelineKind.SlaBreached : TimelineKind.SlaWarning, Actor.System, now,
            to: label, note: "due " + dueAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Raise(new SlaThresholdReached(Id, TeamId, metric, kind, dueAt, now));
    }
}
