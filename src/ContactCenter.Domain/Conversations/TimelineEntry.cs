using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Conversations;

public enum TimelineKind
{
    Created = 0,
    MessageReceived = 1,
    MessageSent = 2,
    NoteAdded = 3,
    Assigned = 4,
    Unassigned = 5,
    StatusChanged = 6,
    PriorityChanged = 7,
    TeamChanged = 8,
    TagAdded = 9,
    TagRemoved = 10,
    AttributeChanged = 11,
    SlaChanged = 12,
    Merged = 13,
    Offered = 14,
    OfferDeclined = 15,
    OfferExpired = 16,
    Transferred = 17,
    SlaWarning = 18,
    SlaBreached = 19,

    /// <summary>The conversation moved to another contact when two contacts were merged (from/to: contact names).</summary>
    ContactMerged = 20,
    /// <summary>The customer seemed upset or worsening: priority raised and routed to senior agents (Note: why).</summary>
    Escalated = 21,

    /// <summary>The after-hours/overflow assistant answered from the knowledge base (To: the article).</summary>
    AssistantAnswered = 22,

    /// <summary>The assistant handed the conversation to a human (Note: why).</summary>
    HandedOver = 23,
}

/// <summary>One line of a conversation's history; the timeline is also the audit trail (who, what, when).</summary>
public sealed class TimelineEntry
{
    private TimelineEntry() { }

    public Guid Id { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public TimelineKind Kind { get; private set; }
    public ActorKind ActorKind { get; private set; }
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string? From { get; private set; }
    public string? To { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>Why (a routing reason, a transfer note…).</summary>
    public string? Note { get; private set; }

    public const int MaxNoteLength = 1000;

    /// <summary>Privacy erasure: lines written by the contact lose the name; free text (from/to/note) goes everywhere.</summary>
    public void Erase(string placeholder)
    {
        if (ActorKind == ActorKind.Contact)
        {
            ActorName = placeholder;
            ActorId = null;
        }

        Note = null;
        if (Kind is TimelineKind.AttributeChanged or TimelineKind.Created or TimelineKind.MessageReceived)
        {
            From = null;
            To = null;
        }
    }

    internal static TimelineEntry Create(ConversationId conversationId, TimelineKind kind, Actor actor, DateTimeOffset at, string? from = null, string? to = null, string? note = null) => new()
    {
        Note = note is { Length: > MaxNoteLength } ? note[..MaxNoteLength] : note,
        Id = Guid.CreateVersion7(),
        ConversationId = conversationId,
        Kind = kind,
        ActorKind = actor.Kind,
        ActorId = actor.Id,
        ActorName = actor.Name,
        From = from,
        To = to,
        OccurredAt = at,
    };
}
