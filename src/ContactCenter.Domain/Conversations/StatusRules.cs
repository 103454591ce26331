namespace ContactCenter.Domain.Conversations;

/// <summary>Which status may follow which. Closed is final; nothing goes back to New.</summary>
public static class StatusRules
{
    public static bool CanTransition(ConversationStatus from, ConversationStatus to) => (from, to) switch
    {
        _ when from == to => false,
        (ConversationStatus.Closed, _) => false,
        (_, ConversationStatus.New) => false,
        (ConversationStatus.Resolved, ConversationStatus.Open) => true,
        (ConversationStatus.Resolved, ConversationStatus.Closed) => true,
        (ConversationStatus.Resolved, _) => false,
        _ => true,
    };

    /// <summary>Statuses in which the conversation still needs (or has) an agent's attention.</summary>
    public static bool IsActive(ConversationStatus status) =>
        status is ConversationStatus.New or ConversationStatus.Open or ConversationStatus.Pending;

    /// <summary>Statuses whose assigned conversations count against the agent's capacity.</summary>
    public static bool CountsAgainstCapacity(ConversationStatus status) =>
        status is ConversationStatus.New or ConversationStatus.Open;
}

/// <summary>An admin-defined status ("Waiting on warehouse") that behaves like one of the built-in ones.</summary>
public sealed class CustomStatus
{
    private CustomStatus() { }

    public Guid Id { get; private set; }
    public string Key { get; private set; } = "";
    public string Label { get; private set; } = "";
    public ConversationStatus Category { get; private set; }
    public string Color { get; private set; } = "#607d8b";

    public static Common.Result<CustomStatus> Create(string key, string label, ConversationStatus category, string? color = null)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 40 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Common.Error.Validation("custom_status.key", "A custom status key is 1 to 40 letters, digits, '-' or '_'.");
        }

        if (category is ConversationStatus.New or ConversationStatus.Closed)
        {
            return Common.Error.Validation("custom_status.category", "A custom status refines Open, Pending, Snoozed or Resolved.");
        }

        return new CustomStatus
        {
            Id = Guid.CreateVersion7(),
            Key = key,
            Label = string.IsNullOrWhiteSpace(label) ? key : label.Trim(),
            Category = category,
            Color = color ?? "#607d8b",
        };
    }
}
