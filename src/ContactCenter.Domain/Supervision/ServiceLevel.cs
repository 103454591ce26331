using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Supervision;

/// <summary>What one conversation contributes to its queue's service level (the "80/20" view).</summary>
public enum ServiceLevelOutcome
{
    /// <summary>Not counted: still waiting but not yet past the target, merged away, or abandoned within the target (a short abandon).</summary>
    NotCounted = 0,

    /// <summary>First agent response within the target.</summary>
    Met = 1,

    /// <summary>First agent response after the target, or none and the target has passed (still waiting, or ended unanswered after it).</summary>
    Missed = 2,
}

/// <summary>The facts about one conversation that its service level and abandonment depend on.</summary>
public readonly record struct ServiceLevelSample(
    ChannelKind Channel,
    ConversationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstRespondedAt,
    DateTimeOffset? EndedAt,
    bool Merged);

/// <summary>A queue's service level for one kind of work: how many were answered within the target out of those counted.</summary>
/// <param name="TargetSeconds">The answer target (e.g. 20 s for live chat).</param>
public sealed record ServiceLevelFigure(WorkKind Work, int Met, int Counted, int TargetSeconds, int GoalPercent)
{
    /// <summary>Share answered within the target, 0–100, or null when nothing was counted yet.</summary>
    public double? Percent => Counted == 0 ? null : 100.0 * Met / Counted;

    /// <summary>Under the goal (only when something was counted).</summary>
    public bool BelowGoal => Percent is { } p && p < GoalPercent;
}

/// <summary>
/// The service level of a queue (share of conversations answered by an agent within a target) and its abandoned count,
/// computed from the conversations that entered the queue in the window. Pure: the caller reads the rows and passes the clock.
/// </summary>
public static class ServiceLevel
{
    /// <summary>
    /// Classifies one conversation against a target. Measured from its creation to the first public agent reply.
    /// Unanswered conversations count as missed once the target has passed (still waiting now, or ended after it);
    /// one the customer left within the target is a short abandon and is not counted; a conversation merged into another
    /// is not counted (the other one carries the customer).
    /// </summary>
    public static ServiceLevelOutcome Classify(ServiceLevelSample sample, TimeSpan target, DateTimeOffset now)
    {
        if (sample.Merged)
        {
            return ServiceLevelOutcome.NotCounted;
        }

        if (sample.FirstRespondedAt is { } answered)
        {
            return answered - sample.CreatedAt <= target ? ServiceLevelOutcome.Met : ServiceLevelOutcome.Missed;
        }

        var until = IsEnded(sample.Status) ? sample.EndedAt ?? now : now;
        return until - sample.CreatedAt > target ? ServiceLevelOutcome.Missed : ServiceLevelOutcome.NotCounted;
    }

    /// <summary>
    /// Abandoned: a live conversation (web chat) that ended — resolved or closed: the visitor ended the chat, it timed out
    /// or was auto-closed, or an agent closed it — before any agent's public reply. Merged conversations are not abandoned.
    /// Async channels (email, messaging) have no "left while waiting": an unanswered one is a missed service level, not an abandon.
    /// </summary>
    public static bool IsAbandoned(ServiceLevelSample sample) =>
        !sample.Merged
        && sample.Channel.WorkKind() == WorkKind.Live
        && IsEnded(sample.Status)
        && sample.FirstRespondedAt is null;

    /// <summary>The figure for one kind of work over the samples of one queue (those of the other work kind are ignored).</summary>
    public static ServiceLevelFigure Compute(IEnumerable<ServiceLevelSample> samples, WorkKind work, TimeSpan target, int goalPercent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int met = 0, counted = 0;
        foreach (var sample in samples)
        {
            if (sample.Channel.WorkKind() != work)
            {
                continue;
            }

            switch (Classify(sample, target, now))
            {
                case ServiceLevelOutcome.Met:
                    met++;
                    counted++;
                    break;
                case ServiceLevelOutcome.Missed:
                    counted++;
                    break;
            }
        }

        return new ServiceLevelFigure(work, met, counted, (int)Math.Round(target.TotalSeconds), goalPercent);
    }

    private static bool IsEnded(ConversationStatus status) => status is ConversationStatus.Resolved or ConversationStatus.Closed;
}
