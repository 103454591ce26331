using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;

namespace ContactCenter.Application.Webhooks;

/// <summary>A webhook request as it arrived: the raw body bytes (signatures cover them exactly), headers, query and the URL.</summary>
public sealed record WebhookRequest(
    Uri Url,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string ContentType,
    byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;
}

public enum WebhookCheck
{
    Ok = 0,

    /// <summary>No signature/secret header: 401.</summary>
    Missing = 1,

    /// <summary>A signature that does not match, or a replayed one: 403.</summary>
    Invalid = 2,

    /// <summary>The inbox is not configured for this channel (a secret key is missing in configuration): 503-ish, nothing stored.</summary>
    NotConfigured = 3,
}

public sealed record WebhookVerification(WebhookCheck Check, string? Reason = null)
{
    public static readonly WebhookVerification Ok = new(WebhookCheck.Ok);

    public static WebhookVerification Missing(string reason) => new(WebhookCheck.Missing, reason);

    public static WebhookVerification Invalid(string reason) => new(WebhookCheck.Invalid, reason);

    public static WebhookVerification NotConfigured(string reason) => new(WebhookCheck.NotConfigured, reason);
}

/// <summary>The reply to a GET handshake (Meta hub.challenge, WeChat echostr): the text to echo, or the refusal.</summary>
public sealed record HandshakeResult(int StatusCode, string Body);

/// <summary>A well-formed webhook: the provider's event id (if it has one) and what the endpoint answers (WeChat wants "success", Twilio TwiML).</summary>
public sealed record AcceptedWebhook(string? EventId, string? Reply = null, string ReplyContentType = "text/plain");

/// <summary>A customer message found in a webhook: the ingest command plus identities that name the same person on other channels.</summary>
public sealed record WebhookMessage(InboundMessage Message, IReadOnlyList<ContactIdentity>? SameContact = null);

/// <summary>A provider's report on one of our outbound messages (its id as the provider gave it when we sent).</summary>
public sealed record WebhookStatusUpdate(string ProviderMessageId, DeliveryStatus Status, string? Error = null);

/// <summary>What a stored webhook means: messages, delivery updates, and a note on anything deliberately ignored.</summary>
public sealed record WebhookContent(IReadOnlyList<WebhookMessage> Messages, IReadOnlyList<WebhookStatusUpdate> Statuses, IReadOnlyList<string> Ignored)
{
    public static WebhookContent Nothing(string why) => new([], [], [why]);

    public bool IsEmpty => Messages.Count == 0 && Statuses.Count == 0;
}

/// <summary>
/// One messaging app's inbound side (implemented in ContactCenter.Channels): the handshake, the signature check, the
/// format check done before storing, and the normalisation done later by the processor.
/// </summary>
public interface IWebhookChannel
{
    ChannelKind Channel { get; }

    /// <summary>The URL segment: /webhooks/{RouteName}/{inboxId}.</summary>
    string RouteName { get; }

    /// <summary>GET handshake (null: the provider has none, 405).</summary>
    HandshakeResult? Handshake(Inbox inbox, WebhookRequest request);

    /// <summary>Checks the signature over the raw body before anything else is looked at.</summary>
    WebhookVerification Verify(Inbox inbox, WebhookRequest request);

    /// <summary>Checks the body is well-formed (JSON/XML/form) and finds the event id; a failure is a 400 and nothing is stored.</summary>
    Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request);

    /// <summary>Turns a stored body into messages and status updates (downloading media). Throws on transient failures.</summary>
    Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken);
}
