namespace ContactCenter.Domain.Conversations;

public enum ConversationStatus
{
    New = 0,
    Open = 1,
    Pending = 2,
    Snoozed = 3,
    Resolved = 4,
    Closed = 5,
}

public enum Priority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Urgent = 3,
}

public enum MessageDirection
{
    Inbound = 0,
    Outbound = 1,
}

public enum AuthorKind
{
    Contact = 0,
    Agent = 1,
    System = 2,
    Bot = 3,
}

public enum DeliveryStatus
{
    /// <summary>Inbound messages and private notes: nothing to deliver.</summary>
    None = 0,
    Queued = 1,
    Sent = 2,
    Delivered = 3,
    Read = 4,
    Failed = 5,
}

/// <summary>Who did something on a conversation (for the timeline / audit trail).</summary>
public enum ActorKind
{
    System = 0,
    Contact = 1,
    Agent = 2,
    Router = 3,
    Automation = 4,
    Assistant = 5,
}

public sealed record Actor(ActorKind Kind, string? Id, string Name)
{
    public static readonly Actor System = new(ActorKind.System, null, "System");
    public static readonly Actor Router = new(ActorKind.Router, null, "Router");
    public static readonly Actor Assist = new(ActorKind.Automation, null, "Assist");
    public static readonly Actor Assistant = new(ActorKind.Assistant, null, "Assistant");

    public static Actor Agent(Common.AgentId id, string name) => new(ActorKind.Agent, id.ToString(), name);

    public static Actor Contact(Common.ContactId id, string name) => new(ActorKind.Contact, id.ToString(), name);
}

/// <summary>How a customer's message reads (computed locally on every inbound message).</summary>
public enum EmotionLabel
{
    Calm = 0,
    Frustrated = 1,
    Angry = 2,
}
