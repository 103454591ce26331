namespace ContactCenter.Domain.Common;

// Typed ids: a ConversationId can never be passed where an AgentId is expected.
// Version-7 GUIDs keep inserts ordered in indexes on both SQLite and SQL Server.

public readonly record struct ConversationId(Guid Value)
{
    public static ConversationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct MessageId(Guid Value)
{
    public static MessageId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct ContactId(Guid Value)
{
    public static ContactId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct AgentId(Guid Value)
{
    public static AgentId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct TeamId(Guid Value)
{
    public static TeamId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct InboxId(Guid Value)
{
    public static InboxId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
