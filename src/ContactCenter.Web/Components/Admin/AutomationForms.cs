using ContactCenter.Application.Automation;
using ContactCenter.Domain.Automation;

namespace ContactCenter.Web.Components.Admin;

/// <summary>Editable copies of a rule or macro for the admin page.</summary>
public sealed class RuleForm
{
    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    public AutomationTrigger Trigger { get; set; }
    public int Order { get; set; }
    public bool Enabled { get; set; } = true;
    public Guid? TeamId { get; set; }
    public List<ConditionForm> Conditions { get; } = [];
    public List<ActionForm> Actions { get; } = [new()];

    public static RuleForm From(AutomationRuleDto rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var form = new RuleForm { Id = rule.Id, Name = rule.Name, Trigger = rule.Trigger, Order = rule.Order, Enabled = rule.Enabled };
        form.Conditions.AddRange(rule.Conditions.Select(c => new ConditionForm { Field = c.Field, Value = c.Value, Key = c.Key, Negate = c.Negate }));
        form.Actions.Clear();
        form.Actions.AddRange(rule.Actions.Select(ActionForm.From));
        return form;
    }

    public static RuleForm From(MacroDto macro)
    {
        ArgumentNullException.ThrowIfNull(macro);
        var form = new RuleForm { Id = macro.Id, Name = macro.Name, TeamId = macro.TeamId };
        form.Actions.Clear();
        form.Actions.AddRange(macro.Actions.Select(ActionForm.From));
        return form;
    }

    public SaveAutomationRule ToRule() => new(Name, Trigger, Order, Enabled,
        Conditions.Select(c => new AutomationCondition(c.Field, c.Value ?? "", string.IsNullOrWhiteSpace(c.Key) ? null : c.Key, c.Negate)).ToList(),
        ToActions());

    public SaveMacro ToMacro() => new(Name, TeamId, ToActions());

    private List<AutomationAction> ToActions() => Actions.Select(a => new AutomationAction(a.Kind, a.Value ?? "")).ToList();
}

public sealed class ConditionForm
{
    public ConditionField Field { get; set; }
    public string? Value { get; set; }
    public string? Key { get; set; }
    public bool Negate { get; set; }
}

public sealed class ActionForm
{
    public AutomationActionKind Kind { get; set; } = AutomationActionKind.AddTag;
    public string? Value { get; set; }

    public static ActionForm From(AutomationAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new() { Kind = action.Kind, Value = action.Value };
    }
}
