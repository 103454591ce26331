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
}

/// <summary>A notification an automation sent to staff (supervisors, or the conversation's agent).</summary>
public sealed record StaffNotificationDto(Guid ConversationId, long Number, string Subject, bool ToSupervisors, Guid? AgentId, string Text, string Source, DateTimeOffset At);
