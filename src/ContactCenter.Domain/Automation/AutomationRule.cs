using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Automation;

public readonly record struct AutomationRuleId(Guid Value)
{
    public static AutomationRuleId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

/// <summary>The event a rule waits for.</summary>
public enum AutomationTrigger
{
    ConversationCreated = 0,
    MessageReceived = 1,
    StatusChanged = 2,
    SlaWarning = 3,
    SlaBreach = 4,
    Assigned = 5,
}

/// <summary>
/// An admin's "when (event) + if (conditions) → then (actions)". Conditions all hold (an empty list: always); within one
/// condition any of its comma-separated values matches. Rules run in <see cref="Order"/> (then id); disabled ones never run.
/// </summary>
public sealed class AutomationRule
{
    public const int MaxNameLength = 80;

    private IReadOnlyList<AutomationCondition> _conditions = [];
    private IReadOnlyList<AutomationAction> _actions = [];

    private AutomationRule() { }

    public AutomationRuleId Id { get; private set; }
    public string Name { get; private set; } = "";
    public AutomationTrigger Trigger { get; private set; }
    public int Order { get; private set; }
    public bool Enabled { get; private set; } = true;
    public IReadOnlyList<AutomationCondition> Conditions => _conditions;
    public IReadOnlyList<AutomationAction> Actions => _actions;
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Result<AutomationRule> Create(string name, AutomationTrigger trigger, int order, IEnumerable<AutomationCondition> conditions, IEnumerable<AutomationAction> actions, bool enabled, DateTimeOffset now)
    {
        var rule = new AutomationRule { Id = AutomationRuleId.New() };
        var updated = rule.Update(name, trigger, order, conditions, actions, enabled, now);
        return updated.IsSuccess ? rule : updated.Error!;
    }

    public Result Update(string name, AutomationTrigger trigger, int order, IEnumerable<AutomationCondition> conditions, IEnumerable<AutomationAction> actions, bool enabled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(actions);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            return Error.Validation("automation.name", $"A rule name is 1 to {MaxNameLength} characters.");
        }

        if (!Enum.IsDefined(trigger))
        {
            return Error.Validation("automation.trigger", "Unknown event.");
        }

        var conditionList = conditions.ToList();
        var actionList = actions.ToList();
        var valid = AutomationCondition.ValidateAll(conditionList);
        if (!valid.IsSuccess)
        {
            return valid;
        }

        valid = AutomationAction.ValidateAll(actionList);
        if (!valid.IsSuccess)
        {
            return valid;
        }

        Name = name.Trim();
        Trigger = trigger;
        Order = order;
        Enabled = enabled;
        _conditions = conditionList.Select(c => c.Normalised()).ToList();
        _actions = actionList.Select(a => a.Normalised()).ToList();
        UpdatedAt = now;
        return Result.Success();
    }

    public void SetEnabled(bool enabled, DateTimeOffset now)
    {
        Enabled = enabled;
        UpdatedAt = now;
    }

    /// <summary>True when the rule is enabled, waits for this event and every condition holds.</summary>
    public bool Matches(AutomationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Enabled && Trigger == facts.Trigger && _conditions.All(c => c.Holds(facts));
    }

    /// <summary>The enabled rules that fire for these facts, in order.</summary>
    public static IReadOnlyList<AutomationRule> Matching(IEnumerable<AutomationRule> rules, AutomationFacts facts) =>
        rules.Where(r => r.Matches(facts)).OrderBy(r => r.Order).ThenBy(r => r.Id.Value).ToList();
}

/// <summary>
/// What a rule's conditions look at, gathered by the application when an event happens (the rule evaluation itself is pure).
/// </summary>
public sealed record AutomationFacts(
    AutomationTrigger Trigger,
    Conversation Conversation,
    IReadOnlyDictionary<string, string> ContactAttributes,
    string? MessageText,
    bool WithinBusinessHours);
