using ContactCenter.Domain.Automation;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Automation;

/// <summary>Automation rules, macros and their audit (same DbContext instance as <see cref="Abstractions.IApplicationDbContext"/>).</summary>
public interface IAutomationDbContext
{
    DbSet<AutomationRule> AutomationRules { get; }
    DbSet<Macro> Macros { get; }
    DbSet<AutomationFiring> AutomationFirings { get; }
}

public sealed class AutomationOptions
{
    /// <summary>How deep rules may trigger further rules through the events their actions raise (1: a rule's actions trigger no rule).</summary>
    public int MaxDepth { get; set; } = 3;

    /// <summary>
    /// How long a node trusts its cached rules (<see cref="AutomationRuleCache"/>): changes made on the same node apply at
    /// once, other nodes see them within this time. Zero reads the rules for every event.
    /// </summary>
    public TimeSpan RuleCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A notification an automation sent to staff (supervisors, or the conversation's agent).</summary>
public sealed record StaffNotificationDto(Guid ConversationId, long Number, string Subject, bool ToSupervisors, Guid? AgentId, string Text, string Source, DateTimeOffset At);
