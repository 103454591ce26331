using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;

namespace ContactCenter.Application.Outbound;

/// <summary>
/// Sends an agent's reply out through one channel (SMTP, WhatsApp Cloud API, Telegram Bot API…). Registered once per
/// <see cref="Channel"/>; the outbox dispatcher picks the sender of the conversation's inbox and retries with backoff.
/// Implementations never throw for provider failures: they return <see cref="SendOutcome.Failed"/>.
/// </summary>
public interface IChannelSender
{
    ChannelKind Channel { get; }

    Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>
/// Everything a sender needs for one reply: the inbox (its settings), the conversation, the reply itself, the contact and
/// the identity to send to, and the earlier messages of the thread (oldest first, for quoting and reply headers).
/// ProviderIds maps earlier outbound message ids to the id the provider gave them (e.g. our SMTP Message-ID).
/// </summary>
public sealed record OutboundDelivery(
    Inbox Inbox,
    Conversation Conversation,
    Message Message,
    Contact Contact,
    ContactIdentity Recipient,
    IReadOnlyList<Message> Thread,
    IReadOnlyDictionary<MessageId, string> ProviderIds,
    string? AgentSignature = null);

/// <summary>
/// The result of one attempt. Transient failures are retried with backoff; permanent ones (rejected recipient, a closed
/// 24-hour window) fail the message at once with the provider's reason.
/// </summary>
public sealed record SendOutcome(bool Success, string? ProviderMessageId, string? Error, bool Permanent)
{
    public static SendOutcome Sent(string? providerMessageId) => new(true, providerMessageId, null, false);

    public static SendOutcome Failed(string error, bool permanent = false) => new(false, null, error, permanent);
}

/// <summary>A plain-text email that is not a conversation reply (e.g. a chat transcript), sent from an email inbox.</summary>
public sealed record DocumentEmail(Inbox FromInbox, string To, string? ToName, string Subject, string Text);

/// <summary>Sends <see cref="DocumentEmail"/>s (implemented by the email channel). Provider failures are outcomes, never exceptions.</summary>
public interface IDocumentEmailSender
{
    Task<SendOutcome> SendAsync(DocumentEmail email, CancellationToken cancellationToken);
}
