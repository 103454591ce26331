using ContactCenter.Domain.Common;

namespace ContactCenter.Application.Outbound;

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>What an outbox item sends: a conversation's reply through its channel, or a document email (a chat transcript).</summary>
public enum OutboxPurpose
{
    Reply = 0,

    /// <summary>A text email to <see cref="OutboxItem.Recipient"/> from the email inbox <see cref="OutboxItem.InboxId"/>; MessageId is the agents' note about it.</summary>
    Transcript = 1,
}

/// <summary>
/// One reply waiting to go out through its channel. Written in the same transaction as the message, so a reply the agent
/// saw saved is never lost; the dispatcher claims it with a lease (safe on several nodes), sends it, and records the
/// provider's id for delivery reports and threading.
/// </summary>
public sealed class OutboxItem
{
    private OutboxItem() { }

    public Guid Id { get; private set; }
    public MessageId MessageId { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public InboxId InboxId { get; private set; }
    public ChannelKind Channel { get; private set; }
    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>While set and in the future, one dispatcher owns the item.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The provider's id of the sent message (SMTP Message-ID, wamid, Telegram message id, Twilio SID…).</summary>
    public string? ProviderMessageId { get; private set; }

    public OutboxPurpose Purpose { get; private set; }

    /// <summary>For a transcript: the email address it goes to.</summary>
    public string? Recipient { get; private set; }

    /// <summary>For a transcript: the subject and the plain-text body (built when it was requested).</summary>
    public string? Subject { get; private set; }

    public string? Body { get; private set; }

    public const int MaxRecipientLength = 254;
    public const int MaxSubjectLength = 300;

    /// <summary>A chat transcript emailed from an email inbox; <paramref name="noteId"/> is the private note that records it in the chat.</summary>
    public static OutboxItem ForTranscript(MessageId noteId, ConversationId conversationId, InboxId emailInboxId, string recipient, string subject, string body, DateTimeOffset now)
    {
        var item = For(noteId, conversationId, emailInboxId, ChannelKind.Email, now);
        item.Purpose = OutboxPurpose.Transcript;
        item.Recipient = recipient;
        item.Subject = subject.Length > MaxSubjectLength ? subject[..MaxSubjectLength] : subject;
        item.Body = body;
        return item;
    }

    public static OutboxItem For(MessageId messageId, ConversationId conversationId, InboxId inboxId, ChannelKind channel, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MessageId = messageId,
        ConversationId = conversationId,
        InboxId = inboxId,
        Channel = channel,
        Status = OutboxStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public void Succeeded(string? providerMessageId, DateTimeOffset now)
    {
        Attempts++;
        Status = OutboxStatus.Sent;
        ProviderMessageId = providerMessageId;
        CompletedAt = now;
        LeaseUntil = null;
        LastError = null;
    }

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or failed for good when null.</summary>
    public void AttemptFailed(string error, DateTimeOffset now, DateTimeOffset? retryAt)
    {
        Attempts++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        LeaseUntil = null;
        if (retryAt is null)
        {
            Status = OutboxStatus.Failed;
            CompletedAt = now;
        }
        else
        {
            NextAttemptAt = retryAt.Value;
        }
    }
}

public static class OutboxRules
{
    /// <summary>Channels whose replies leave through an <see cref="IChannelSender"/> (the web chat and the API deliver by push/pull).</summary>
    public static bool SendsThroughOutbox(ChannelKind channel) => channel is not (ChannelKind.WebChat or ChannelKind.Api);
}
