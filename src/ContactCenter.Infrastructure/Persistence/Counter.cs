namespace ContactCenter.Infrastructure.Persistence;

/// <summary>A named counter (ticket numbers), incremented atomically by the database.</summary>
public sealed class Counter
{
    public const string ConversationNumber = "conversation";

    public string Name { get; set; } = "";
    public long Value { get; set; }
}
