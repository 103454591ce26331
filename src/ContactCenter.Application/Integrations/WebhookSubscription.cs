using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Integrations;

/// <summary>The events a subscription can ask for (stable names: receivers switch on them).</summary>
public static class WebhookEvents
{
    public const string ConversationCreated = "conversation.created";
    public const string ConversationAssigned = "conversation.assigned";
    public const string ConversationResolved = "conversation.resolved";
    public const string MessageCreated = "message.created";
    public const string CsatReceived = "csat.received";
    public const string ContactErased = "contact.erased";

    /// <summary>Sent only by the "send test" button, whatever the subscription's events.</summary>
    public const string Ping = "ping";

    public static readonly IReadOnlyList<string> All = [ConversationCreated, ConversationAssigned, ConversationResolved, MessageCreated, CsatReceived, ContactErased];
}

/// <summary>
/// An admin's subscription of one URL to some events. The signing secret is generated here, shown once, and stored only
/// data-protected (<see cref="ProtectedSecret"/>).
/// </summary>
public sealed class WebhookSubscription
{
    public const int MaxUrlLength = 2000;

    private WebhookSubscription() { }

    public Guid Id { get; private set; }
    public string Url { get; private set; } = "";
    public string? Description { get; private set; }

    /// <summary>Space-separated event names.</summary>
    public string Events { get; private set; } = "";
    public bool Enabled { get; private set; }
    public string ProtectedSecret { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<string> EventList => Events.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventName) => EventList.Contains(eventName, StringComparer.Ordinal);

    public static WebhookSubscription Create(string url, string? description, IEnumerable<string> events, bool enabled, string protectedSecret, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Url = url,
        Description = description,
        Events = string.Join(' ', events),
        Enabled = enabled,
        ProtectedSecret = protectedSecret,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Change(string url, string? description, IEnumerable<string> events, bool enabled, DateTimeOffset now)
    {
        Url = url;
        Description = description;
        Events = string.Join(' ', events);
        Enabled = enabled;
        UpdatedAt = now;
    }

    public void RotateSecret(string protectedSecret, DateTimeOffset now)
    {
        ProtectedSecret = protectedSecret;
        UpdatedAt = now;
    }
}

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>
/// One event on its way to one subscription: a durable queued row (written before anything is sent), claimed with a lease by
/// a dispatcher, retried with backoff, and marked delivered (2xx) or failed after the last attempt. The id is sent as
/// <c>X-ContactCenter-Delivery</c> so the receiver can drop duplicates (delivery is at least once).
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public string Event { get; private set; } = "";

    /// <summary>The exact JSON body that is signed and sent.</summary>
    public string Payload { get; private set; } = "";

    /// <summary>The contact the event is about, when there is one (privacy erasure purges their deliveries).</summary>
    public Guid? ContactId { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LeaseUntil { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }

    public static WebhookDelivery For(Guid id, Guid subscriptionId, string eventName, string payload, Guid? contactId, DateTimeOffset now) => new()
    {
        Id = id,
        SubscriptionId = subscriptionId,
        Event = eventName,
        Payload = payload,
        ContactId = contactId,
        Status = WebhookDeliveryStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public void Delivered(int statusCode, DateTimeOffset now)
    {
        Attempts++;
        Status = WebhookDeliveryStatus.Delivered;
        LastStatusCode = statusCode;
        LastError = null;
        CompletedAt = now;
        LeaseUntil = null;
    }

    /// <summary>A failed attempt: retried at <paramref name="retryAt"/>, or failed for good when null.</summary>
    public void AttemptFailed(int? statusCode, string error, DateTimeOffset now, DateTimeOffset? retryAt)
    {
        Attempts++;
        LastStatusCode = statusCode;
        LastError = error.Length > 500 ? error[..500] : error;
        LeaseUntil = null;
        if (retryAt is null)
        {
            Status = WebhookDeliveryStatus.Failed;
            CompletedAt = now;
        }
        else
        {
            NextAttemptAt = retryAt.Value;
        }
    }
}

/// <summary>One HTTP attempt of a delivery, for the admin page: status code (null when no answer), duration, the start of the answer.</summary>
public sealed class WebhookAttempt
{
    public const int MaxResponseLength = 1000;

    private WebhookAttempt() { }

    public Guid Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? StatusCode { get; private set; }
    public int DurationMs { get; private set; }
    public string? ResponseBody { get; private set; }
    public string? Error { get; private set; }

    public static WebhookAttempt Record(Guid deliveryId, int number, DateTimeOffset at, int? statusCode, TimeSpan duration, string? responseBody, string? error) => new()
    {
        Id = Guid.CreateVersion7(at),
        DeliveryId = deliveryId,
        Number = number,
        At = at,
        StatusCode = statusCode,
        DurationMs = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds),
        ResponseBody = responseBody is { Length: > MaxResponseLength } ? responseBody[..MaxResponseLength] : responseBody,
        Error = error is { Length: > 500 } ? error[..500] : error,
    };
}

/// <summary>The outbound-webhook tables of the unit of work.</summary>
public interface IIntegrationsDbContext
{
    DbSet<WebhookSubscription> WebhookSubscriptions { get; }
    DbSet<WebhookDelivery> WebhookDeliveries { get; }
    DbSet<WebhookAttempt> WebhookAttempts { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
