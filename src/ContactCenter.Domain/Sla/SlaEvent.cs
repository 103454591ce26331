using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Sla;

public enum SlaEventKind
{
    Warning = 0,
    Breach = 1,
}

/// <summary>A warning or breach of one metric of one conversation: recorded once (unique per conversation, metric and kind).</summary>
public sealed class SlaEvent
{
    private SlaEvent() { }

    public Guid Id { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public SlaMetric Metric { get; private set; }
    public SlaEventKind Kind { get; private set; }

    /// <summary>The due time of the metric when it fired.</summary>
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>When the warning/breach moment was (warning: the configured share of the target; breach: the due time).</summary>
    public DateTimeOffset ThresholdAt { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }
    public TeamId? TeamId { get; private set; }

    /// <summary>Which node recorded it (diagnostics for the "two instances" guarantee).</summary>
    public string RecordedBy { get; private set; } = "";

    public static SlaEvent Record(ConversationId conversationId, TeamId? teamId, SlaMetric metric, SlaEventKind kind, DateTimeOffset dueAt, DateTimeOffset thresholdAt, DateTimeOffset now, string recordedBy) => new()
    {
        Id = Guid.CreateVersion7(),
        ConversationId = conversationId,
        TeamId = teamId,
        Metric = metric,
        Kind = kind,
        DueAt = dueAt,
        ThresholdAt = thresholdAt,
        RecordedAt = now,
        RecordedBy = recordedBy.Length > 100 ? recordedBy[..100] : recordedBy,
    };
}
