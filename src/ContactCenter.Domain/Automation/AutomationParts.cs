using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Automation;

public enum ConditionField
{
    Channel = 0,
    Inbox = 1,
    Team = 2,
    Tag = 3,
    Priority = 4,
    ContactAttribute = 5,
    MessageContains = 6,
    BusinessHours = 7,
    Status = 8,
}

/// <summary>
/// One test on the facts. <see cref="Value"/> holds one or more comma-separated values (any may match); for a contact
/// attribute <see cref="Key"/> names the attribute; for business hours the value is "open" or "closed".
/// <see cref="Negate"/> inverts the test ("is not").
/// </summary>
public sealed record AutomationCondition(ConditionField Field, string Value, string? Key = null, bool Negate = false)
{
    public const int MaxValueLength = 500;

    private IEnumerable<string> Values => Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Holds(AutomationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Test(facts) != Negate;
    }

    private bool Test(AutomationFacts facts)
    {
        var c = facts.Conversation;
        return Field switch
        {
            ConditionField.Channel => Values.Any(v => Enum.TryParse<ChannelKind>(v, true, out var k) && k == c.Channel),
            ConditionField.Inbox => Values.Any(v => Guid.TryParse(v, out var g) && g == c.InboxId.Value),
            ConditionField.Team => Values.Any(v => Guid.TryParse(v, out var g) && c.TeamId is { } t && t.Value == g),
            ConditionField.Tag => Values.Any(v => c.Tags.Contains(v.ToLowerInvariant())),
            ConditionField.Priority => Values.Any(v => Enum.TryParse<Priority>(v, true, out var p) && p == c.Priority),
            ConditionField.Status => Values.Any(v => Enum.TryParse<ConversationStatus>(v, true, out var s) && s == c.Status),
            ConditionField.ContactAttribute => Key is not null && facts.ContactAttributes.TryGetValue(Key, out var attribute)
                && Values.Any(v => string.Equals(v, attribute, StringComparison.OrdinalIgnoreCase)),
            ConditionField.MessageContains => facts.MessageText is { } text && Values.Any(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)),
            ConditionField.BusinessHours => string.Equals(Value.Trim(), "open", StringComparison.OrdinalIgnoreCase) == facts.WithinBusinessHours,
            _ => false,
        };
    }

    internal AutomationCondition Normalised() => this with { Value = Value.Trim(), Key = Key?.Trim() };

    internal static Result ValidateAll(IReadOnlyList<AutomationCondition> conditions)
    {
        if (conditions.Count > 20)
        {
            return Error.Validation("automation.conditions", "At most 20 conditions.");
        }

        foreach (var c in conditions)
        {
            if (!Enum.IsDefined(c.Field) || string.IsNullOrWhiteSpace(c.Value) || c.Value.Length > MaxValueLength)
            {
                return Error.Validation("automation.condition", $"A condition needs a known field and a value of 1 to {MaxValueLength} characters.");
            }

            var values = c.Values.ToList();
            var ok = c.Field switch
            {
                ConditionField.Channel => values.All(v => Enum.TryParse<ChannelKind>(v, true, out _)),
                ConditionField.Inbox or ConditionField.Team => values.All(v => Guid.TryParse(v, out _)),
                ConditionField.Priority => values.All(v => Enum.TryParse<Priority>(v, true, out _)),
                ConditionField.Status => values.All(v => Enum.TryParse<ConversationStatus>(v, true, out _)),
                ConditionField.ContactAttribute => !string.IsNullOrWhiteSpace(c.Key),
                ConditionField.BusinessHours => c.Value.Trim().ToLowerInvariant() is "open" or "closed",
                _ => true,
            };
            if (!ok)
            {
                return Error.Validation("automation.condition", $"The {c.Field} condition's value \"{c.Value}\" is not valid.");
            }
        }

        return Result.Success();
    }
}

public enum AutomationActionKind
{
    AssignTeam = 0,
    AssignAgent = 1,
    AddTag = 2,
    SetPriority = 3,
    SendCannedReply = 4,
    NotifySupervisors = 5,
    NotifyAgent = 6,
    SetStatus = 7,
}

/// <summary>
/// One thing to do. <see cref="Value"/>: a team or agent id, a tag, a priority or status name, a canned response's shortcut,
/// or a notification's text.
/// </summary>
public sealed record AutomationAction(AutomationActionKind Kind, string Value)
{
    public const int MaxValueLength = 1000;
    public const int MaxActions = 20;

    public override string ToString() => $"{Kind}({Value})";

    internal AutomationAction Normalised() => this with { Value = Value.Trim() };

    public static Result ValidateAll(IReadOnlyList<AutomationAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0 || actions.Count > MaxActions)
        {
            return Error.Validation("automation.actions", $"1 to {MaxActions} actions.");
        }

        foreach (var a in actions)
        {
            if (!Enum.IsDefined(a.Kind) || string.IsNullOrWhiteSpace(a.Value) || a.Value.Length > MaxValueLength)
            {
                return Error.Validation("automation.action", $"An action needs a known kind and a value of 1 to {MaxValueLength} characters.");
            }

            var v = a.Value.Trim();
            var ok = a.Kind switch
            {
                AutomationActionKind.AssignTeam or AutomationActionKind.AssignAgent => Guid.TryParse(v, out _),
                AutomationActionKind.SetPriority => Enum.TryParse<Priority>(v, true, out _),
                AutomationActionKind.SetStatus => Enum.TryParse<ConversationStatus>(v, true, out var s) && s is not ConversationStatus.Snoozed and not ConversationStatus.New,
                AutomationActionKind.AddTag => v.Length <= 50,
                _ => true,
            };
            if (!ok)
            {
                return Error.Validation("automation.action", $"The {a.Kind} action's value \"{a.Value}\" is not valid.");
            }
        }

        return Result.Success();
    }
}

public readonly record struct MacroId(Guid Value)
{
    public static MacroId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

/// <summary>A named list of actions an agent applies to a conversation in one click (optionally only for one team).</summary>
public sealed class Macro
{
    public const int MaxNameLength = 80;

    private IReadOnlyList<AutomationAction> _actions = [];

    private Macro() { }

    public MacroId Id { get; private set; }
    public string Name { get; private set; } = "";
    public TeamId? TeamId { get; private set; }
    public IReadOnlyList<AutomationAction> Actions => _actions;
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Result<Macro> Create(string name, TeamId? teamId, IEnumerable<AutomationAction> actions, DateTimeOffset now)
    {
        var macro = new Macro { Id = MacroId.New() };
        var updated = macro.Update(name, teamId, actions, now);
        return updated.IsSuccess ? macro : updated.Error!;
    }

    public Result Update(string name, TeamId? teamId, IEnumerable<AutomationAction> actions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            return Error.Validation("macro.name", $"A macro name is 1 to {MaxNameLength} characters.");
        }

        var list = actions.ToList();
        var valid = AutomationAction.ValidateAll(list);
        if (!valid.IsSuccess)
        {
            return valid;
        }

        Name = name.Trim();
        TeamId = teamId;
        _actions = list.Select(a => a.Normalised()).ToList();
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>A macro without a team is for everyone; a team's macro only for conversations of that team.</summary>
    public bool AppliesTo(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return TeamId is null || conversation.TeamId == TeamId;
    }
}

public enum AutomationSource
{
    Rule = 0,
    Macro = 1,
}

public enum AutomationOutcome
{
    /// <summary>Every action applied.</summary>
    Applied = 0,

    /// <summary>Some actions applied, some were refused (e.g. an unknown team, a status transition not allowed).</summary>
    Partial = 1,

    /// <summary>No action applied.</summary>
    Failed = 2,
}

/// <summary>The audit of one firing of a rule, or one application of a macro.</summary>
public sealed class AutomationFiring
{
    public const int MaxDetailLength = 4000;

    private AutomationFiring() { }

    public Guid Id { get; private set; }
    public AutomationSource Source { get; private set; }
    public Guid SourceId { get; private set; }
    public string SourceName { get; private set; } = "";
    public ConversationId ConversationId { get; private set; }
    public long ConversationNumber { get; private set; }
    public string Event { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public string ActionsApplied { get; private set; } = "";
    public AutomationOutcome Outcome { get; private set; }
    public string? Detail { get; private set; }
    public string? AppliedBy { get; private set; }

    public static AutomationFiring Record(AutomationSource source, Guid sourceId, string sourceName, Conversation conversation, string @event,
        IReadOnlyList<string> applied, IReadOnlyList<string> refused, string? appliedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(refused);
        var detail = refused.Count == 0 ? null : string.Join("; ", refused);
        return new AutomationFiring
        {
            Id = Guid.CreateVersion7(),
            Source = source,
            SourceId = sourceId,
            SourceName = sourceName,
            ConversationId = conversation.Id,
            ConversationNumber = conversation.Number,
            Event = @event,
            At = now,
            ActionsApplied = Truncate(string.Join(", ", applied)),
            Outcome = refused.Count == 0 ? AutomationOutcome.Applied : applied.Count == 0 ? AutomationOutcome.Failed : AutomationOutcome.Partial,
            Detail = detail is null ? null : Truncate(detail),
            AppliedBy = appliedBy,
        };
    }

    private static string Truncate(string text) => text.Length <= MaxDetailLength ? text : text[..MaxDetailLength];
}
