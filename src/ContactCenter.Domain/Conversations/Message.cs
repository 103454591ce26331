using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Conversations;

/// <summary>A file that came with or went out with a message; the bytes live in file storage under StorageKey.</summary>
public sealed record Attachment(string FileName, string ContentType, long SizeBytes, string StorageKey, string? ContentId = null);

/// <summary>What a message says; Html is already sanitised by the application layer.</summary>
public sealed record MessageContent(string Text, string? Html = null, IReadOnlyList<Attachment>? Attachments = null)
{
    public const int MaxTextLength = 20_000;

    public Result Validate()
    {
        var hasAttachments = Attachments is { Count: > 0 };
        if (string.IsNullOrWhiteSpace(Text) && !hasAttachments)
        {
            return Error.Validation("message.empty", "A message needs text or an attachment.");
        }

        if (Text.Length > MaxTextLength)
        {
            return Error.Validation("message.too_long", $"A message can be at most {MaxTextLength:N0} characters long.");
        }

        return Result.Success();
    }
}

public sealed class Message
{
    private IReadOnlyList<Attachment> _attachments = [];

    private Message() { }

    public MessageId Id { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public InboxId InboxId { get; private set; }
    public MessageDirection Direction { get; private set; }
    public AuthorKind AuthorKind { get; private set; }
    public string? AuthorId { get; private set; }
    public string AuthorName { get; private set; } = "";
    public string Text { get; private set; } = "";
    public string? Html { get; private set; }
    public bool IsPrivate { get; private set; }

    /// <summary>The channel's id for this message (Message-ID, wamid, widget client id): unique per inbox, so retries never duplicate.</summary>
    public string? ExternalId { get; private set; }

    public DeliveryStatus DeliveryStatus { get; private set; }
    public string? DeliveryError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeliveryUpdatedAt { get; private set; }

    public IReadOnlyList<Attachment> Attachments => _attachments;

    /// <summary>How upset the customer reads in this message, 0 (calm) to 1 (furious); inbound customer messages only.</summary>
    public double? EmotionScore { get; private set; }

    public EmotionLabel? Emotion { get; private set; }

    internal void SetEmotion(EmotionLabel label, double score)
    {
        Emotion = label;
        EmotionScore = Math.Clamp(score, 0, 1);
    }

    internal static Message Create(
        Conversation conversation,
        MessageDirection direction,
        AuthorKind authorKind,
        string? authorId,
        string authorName,
        MessageContent content,
        bool isPrivate,
        string? externalId,
        DateTimeOffset now) => new()
        {
            Id = MessageId.New(),
            ConversationId = conversation.Id,
            InboxId = conversation.InboxId,
            Direction = direction,
            AuthorKind = authorKind,
            AuthorId = authorId,
            AuthorName = authorName,
            Text = content.Text,
            Html = content.Html,
            IsPrivate = isPrivate,
            ExternalId = externalId,
            DeliveryStatus = direction == MessageDirection.Outbound && !isPrivate ? DeliveryStatus.Queued : DeliveryStatus.None,
            CreatedAt = now,
            _attachments = content.Attachments?.ToList() ?? [],
        };

    /// <summary>Privacy erasure: the text, HTML, attachments and the customer's name go; the row (and the thread's shape) stays.</summary>
    public void Erase(string placeholder)
    {
        Text = placeholder;
        Html = null;
        _attachments = [];
        DeliveryError = null;
        if (AuthorKind == AuthorKind.Contact)
        {
            AuthorName = placeholder;
        }
    }

    /// <summary>Delivery only moves forward (queued → sent → delivered → read); failed can be reported at any point.</summary>
    public Result UpdateDelivery(DeliveryStatus status, DateTimeOffset at, string? error = null)
    {
        if (DeliveryStatus == DeliveryStatus.None)
        {
            return Error.Validation("message.delivery", "Only outbound replies have a delivery status.");
        }

        if (status == DeliveryStatus.None || !Enum.IsDefined(status))
        {
            return Error.Validation("message.delivery_status", "Unknown delivery status.");
        }

        if (status == DeliveryStatus.Failed)
        {
            DeliveryStatus = status;
            DeliveryError = error;
            DeliveryUpdatedAt = at;
            return Result.Success();
        }

        if (status > DeliveryStatus || DeliveryStatus == DeliveryStatus.Failed)
        {
            DeliveryStatus = status;
            DeliveryError = null;
            DeliveryUpdatedAt = at;
        }

        return Result.Success();
    }
}
