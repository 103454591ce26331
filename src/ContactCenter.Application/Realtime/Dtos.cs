using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Application.Realtime;

public sealed record AttachmentDto(string FileName, string ContentType, long SizeBytes, string Url);

/// <summary>A message as staff see it (private notes included).</summary>
public sealed record MessageDto(
    Guid Id,
    Guid ConversationId,
    MessageDirection Direction,
    AuthorKind AuthorKind,
    string? AuthorId,
    string AuthorName,
    string Text,
    string? Html,
    bool IsPrivate,
    DeliveryStatus DeliveryStatus,
    string? ExternalId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<AttachmentDto> Attachments,
    string? DeliveryError = null,
    EmotionLabel? Emotion = null,
    double? EmotionScore = null)
{
    public static MessageDto From(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id.Value, m.ConversationId.Value, m.Direction, m.AuthorKind, m.AuthorId, m.AuthorName, m.Text, m.Html, m.IsPrivate,
            m.DeliveryStatus, m.ExternalId, m.CreatedAt,
            m.Attachments.Select(a => new AttachmentDto(a.FileName, a.ContentType, a.SizeBytes, StaffUrl(a.StorageKey))).ToList(),
            m.DeliveryError, m.Emotion, m.EmotionScore);
    }

    /// <summary>
    /// Where staff download a stored file: files that came in by email ("e_…") or from a messaging app ("m_…") at the
    /// inbound files endpoint (access checked through the message that owns them), chat files at /files.
    /// </summary>
    public static string StaffUrl(string storageKey) =>
        (storageKey.StartsWith("e_", StringComparison.Ordinal) || storageKey.StartsWith("m_", StringComparison.Ordinal) ? "/api/v1/email/files/" : "/files/")
        + Uri.EscapeDataString(storageKey);
}

/// <summary>A message as the customer sees it in the widget: no internal ids, never a private note.</summary>
public sealed record ChatMessageDto(
    Guid Id,
    Guid ConversationId,
    bool FromCustomer,
    string AuthorName,
    string Text,
    DateTimeOffset CreatedAt,
    string? ClientMessageId,
    IReadOnlyList<AttachmentDto>? Attachments = null,
    bool Automated = false)
{
    public static ChatMessageDto From(MessageDto m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var fromCustomer = m.Direction == MessageDirection.Inbound;
        return new(m.Id, m.ConversationId, fromCustomer, m.AuthorName, m.Text, m.CreatedAt, fromCustomer ? Visitors.WidgetMessageIds.ClientIdOf(m.ExternalId) : null, m.Attachments,
            m.AuthorKind == AuthorKind.Bot);
    }
}

public sealed record ConversationSummaryDto(
    Guid Id,
    long Number,
    ChannelKind Channel,
    Guid InboxId,
    Guid ContactId,
    string ContactName,
    string Subject,
    ConversationStatus Status,
    string? CustomStatusKey,
    Priority Priority,
    Guid? TeamId,
    Guid? AssigneeId,
    string? AssigneeName,
    string? LastMessagePreview,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? WaitingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Tags,
    int Version,
    Sla.SlaStatusDto? Sla = null,
    EmotionLabel? CustomerEmotion = null,
    double? CustomerEmotionScore = null,
    int EscalationLevel = 0);

/// <summary>A waiting customer's place in the queue (1 = next) and an estimate in seconds.</summary>
public sealed record QueuePositionDto(Guid ContactId, Guid ConversationId, int Position, int EstimatedWaitSeconds);

/// <summary>Work offered to an agent: accept before ExpiresAt or it goes to someone else.</summary>
public sealed record OfferDto(ConversationSummaryDto Conversation, Guid AgentId, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt);

public sealed record AgentPresenceDto(Guid AgentId, string DisplayName, Presence Presence, string? AwayReason, DateTimeOffset ChangedAt);

/// <summary>Pushes what happened to whoever should see it (agents, teams, supervisors, customers). Implemented over SignalR.</summary>
public interface IRealtimeNotifier
{
    Task MessageCreatedAsync(MessageDto message, ConversationSummaryDto conversation, CancellationToken cancellationToken);

    /// <summary>A message changed after it was created (its delivery status): to the staff viewing that conversation.</summary>
    Task MessageUpdatedAsync(MessageDto message, CancellationToken cancellationToken);

    /// <param name="previousAssigneeId">The assignee before this change (equal to the current one when the assignment did not change).</param>
    Task ConversationUpdatedAsync(ConversationSummaryDto conversation, Guid? previousAssigneeId, CancellationToken cancellationToken);

    Task AgentPresenceChangedAsync(AgentPresenceDto presence, CancellationToken cancellationToken);

    Task QueuePositionsAsync(IReadOnlyList<QueuePositionDto> positions, CancellationToken cancellationToken);

    Task OfferAsync(OfferDto offer, CancellationToken cancellationToken);

    Task OfferWithdrawnAsync(Guid agentId, Guid conversationId, bool expired, CancellationToken cancellationToken);

    /// <summary>An SLA warning or breach was recorded: to supervisors (and the assignee).</summary>
    Task SlaAlertAsync(Sla.SlaAlertDto alert, CancellationToken cancellationToken);

    /// <summary>An upset customer was escalated: to supervisors (and the assignee, if any).</summary>
    Task EscalationAsync(Assist.EscalationAlertDto alert, CancellationToken cancellationToken);
    /// <summary>An automation rule or macro notifies staff: supervisors, or the conversation's agent.</summary>
    Task NotifyStaffAsync(Automation.StaffNotificationDto notification, CancellationToken cancellationToken);
}
