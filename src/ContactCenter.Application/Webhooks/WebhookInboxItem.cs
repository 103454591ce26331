using ContactCenter.Domain.Common;

namespace ContactCenter.Application.Webhooks;

public enum WebhookStatus
{
    Pending = 0,
    Processed = 1,
    Ignored = 2,
    Failed = 3,
}

/// <summary>
/// One verified provider webhook, stored exactly as it arrived before it is acknowledged. The processor turns it into
/// customer messages and delivery updates later (retrying with backoff), so a provider is never told "ok" for something
/// we could still lose, and a slow database never makes the provider time out and re-send.
/// </summary>
public sealed class WebhookInboxItem
{
    public const int MaxEventIdLength = 200;
    public const int MaxErrorLength = 1000;

    private WebhookInboxItem() { }

    public Guid Id { get; private set; }
    public InboxId InboxId { get; private set; }
    public ChannelKind Channel { get; private set; }

    /// <summary>The provider's id of the event when it has one (Telegram update_id, Twilio MessageSid, WeChat MsgId).</summary>
    public string? EventId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }
    public string ContentType { get; private set; } = "";
    public string Body { get; private set; } = "";
    public WebhookStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>While set and in the future, one processor (of possibly several nodes) owns the item.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }
    public string? Error { get; private set; }

    public static WebhookInboxItem Receive(InboxId inboxId, ChannelKind channel, string? eventId, string contentType, string body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        InboxId = inboxId,
        Channel = channel,
        EventId = eventId is { Length: > MaxEventIdLength } ? eventId[..MaxEventIdLength] : eventId,
        ContentType = contentType.Length > 100 ? contentType[..100] : contentType,
        Body = body,
        ReceivedAt = now,
        NextAttemptAt = now,
        Status = WebhookStatus.Pending,
    };

    public void Completed(WebhookStatus status, string? note, DateTimeOffset now)
    {
        Attempts++;
        Status = status;
        Error = Trim(note);
        ProcessedAt = now;
        LeaseUntil = null;
    }

    /// <summary>A failed attempt: retried at <paramref name="retryAt"/>, or failed for good when null.</summary>
    public void AttemptFailed(string error, DateTimeOffset now, DateTimeOffset? retryAt)
    {
        Attempts++;
        Error = Trim(error);
        LeaseUntil = null;
        if (retryAt is null)
        {
            Status = WebhookStatus.Failed;
            ProcessedAt = now;
        }
        else
        {
            NextAttemptAt = retryAt.Value;
        }
    }

    private static string? Trim(string? text) => text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;
}
