using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;

namespace ContactCenter.Application.Sla;

/// <summary>
/// A conversation's SLA as shown to staff: every due time, and the most urgent one (<see cref="NextDueAt"/> of
/// <see cref="NextMetric"/>, at risk from <see cref="NextWarnAt"/>). Paused while pending on the customer.
/// </summary>
public sealed record SlaStatusDto(
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? NextResponseDueAt,
    DateTimeOffset? ResolutionDueAt,
    SlaMetric? NextMetric,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? NextWarnAt,
    bool Paused)
{
    public static SlaStatusDto? From(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var next = new[] { SlaMetric.FirstResponse, SlaMetric.NextResponse, SlaMetric.Resolution }
            .Where(m => conversation.DueAt(m) is not null)
            .OrderBy(m => conversation.DueAt(m))
            .Select(m => (SlaMetric?)m)
            .FirstOrDefault();
        if (next is null)
        {
            return null;
        }

        return new SlaStatusDto(conversation.FirstResponseDueAt, conversation.NextResponseDueAt, conversation.ResolutionDueAt,
            next, conversation.DueAt(next.Value), conversation.WarnAt(next.Value), conversation.SlaPausedAt is not null);
    }

    /// <summary>Where the conversation stands at <paramref name="now"/>.</summary>
    public SlaState StateAt(DateTimeOffset now) =>
        Paused ? SlaState.Paused
        : NextDueAt <= now ? SlaState.Breached
        : NextWarnAt <= now ? SlaState.AtRisk
        : SlaState.OnTrack;
}

public enum SlaState
{
    OnTrack = 0,
    AtRisk = 1,
    Breached = 2,
    Paused = 3,
}

/// <summary>Pushed to supervisors when a warning or breach is recorded.</summary>
public sealed record SlaAlertDto(Guid ConversationId, long Number, string Subject, Guid? TeamId, Guid? AssigneeId, SlaMetric Metric, SlaEventKind Kind, DateTimeOffset DueAt, DateTimeOffset At);
