using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Automation;

public sealed record AutomationRuleDto(Guid Id, string Name, AutomationTrigger Trigger, int Order, bool Enabled,
    IReadOnlyList<AutomationCondition> Conditions, IReadOnlyList<AutomationAction> Actions, DateTimeOffset UpdatedAt)
{
    public static AutomationRuleDto From(AutomationRule r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id.Value, r.Name, r.Trigger, r.Order, r.Enabled, r.Conditions, r.Actions, r.UpdatedAt);
    }
}

public sealed record SaveAutomationRule(string Name, AutomationTrigger Trigger, int Order, bool Enabled, IReadOnlyList<AutomationCondition> Conditions, IReadOnlyList<AutomationAction> Actions);

public sealed record MacroDto(Guid Id, string Name, Guid? TeamId, IReadOnlyList<AutomationAction> Actions, DateTimeOffset UpdatedAt)
{
    public static MacroDto From(Macro m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id.Value, m.Name, m.TeamId?.Value, m.Actions, m.UpdatedAt);
    }
}

public sealed record SaveMacro(string Name, Guid? TeamId, IReadOnlyList<AutomationAction> Actions);

public sealed record AutomationFiringDto(Guid Id, AutomationSource Source, Guid SourceId, string SourceName, Guid ConversationId, long ConversationNumber,
    string Event, DateTimeOffset At, string ActionsApplied, AutomationOutcome Outcome, string? Detail, string? AppliedBy)
{
    public static AutomationFiringDto From(AutomationFiring f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f.Id, f.Source, f.SourceId, f.SourceName, f.ConversationId.Value, f.ConversationNumber, f.Event, f.At, f.ActionsApplied, f.Outcome, f.Detail, f.AppliedBy);
    }
}

/// <summary>Admins edit rules and macros; everyone with access reads the audit.</summary>
public sealed class AutomationAdministration(IAutomationDbContext automation, IApplicationDbContext db, AutomationRuleCache ruleCache, TimeProvider time)
{
    public const int MaxAuditRows = 500;

    public async Task<IReadOnlyList<AutomationRuleDto>> ListRulesAsync(CancellationToken cancellationToken) =>
        (await automation.AutomationRules.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(r => r.Trigger).ThenBy(r => r.Order).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(AutomationRuleDto.From).ToList();

    public async Task<Result<AutomationRuleDto>> SaveRuleAsync(Guid? id, SaveAutomationRule input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        AutomationRule rule;
        if (id is { } existing)
        {
            var found = await automation.AutomationRules.FirstOrDefaultAsync(r => r.Id == new AutomationRuleId(existing), cancellationToken);
            if (found is null)
            {
                return Error.NotFound("The rule");
            }

            var updated = found.Update(input.Name, input.Trigger, input.Order, input.Conditions, input.Actions, input.Enabled, now);
            if (!updated.IsSuccess)
            {
                return updated.Error!;
            }

            rule = found;
        }
        else
        {
            var created = AutomationRule.Create(input.Name, input.Trigger, input.Order, input.Conditions, input.Actions, input.Enabled, now);
            if (!created.IsSuccess)
            {
                return created.Error!;
            }

            rule = created.Value;
            automation.AutomationRules.Add(rule);
        }

        return await SaveAsync(() => AutomationRuleDto.From(rule), "automation.name", "A rule with this name exists.", cancellationToken);
    }

    public async Task<Result> SetRuleEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        var rule = await automation.AutomationRules.FirstOrDefaultAsync(r => r.Id == new AutomationRuleId(id), cancellationToken);
        if (rule is null)
        {
            return Error.NotFound("The rule");
        }

        rule.SetEnabled(enabled, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ruleCache.Invalidate();
        return Result.Success();
    }

    public async Task<Result> DeleteRuleAsync(Guid id, CancellationToken cancellationToken)
    {
        var rule = await automation.AutomationRules.FirstOrDefaultAsync(r => r.Id == new AutomationRuleId(id), cancellationToken);
        if (rule is null)
        {
            return Error.NotFound("The rule");
        }

        automation.AutomationRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        ruleCache.Invalidate();
        return Result.Success();
    }

    public async Task<IReadOnlyList<MacroDto>> ListMacrosAsync(CancellationToken cancellationToken) =>
        (await automation.Macros.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Select(MacroDto.From).ToList();

    public async Task<Result<MacroDto>> SaveMacroAsync(Guid? id, SaveMacro input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var teamId = input.TeamId is { } t ? new TeamId(t) : (TeamId?)null;
        Macro macro;
        if (id is { } existing)
        {
            var found = await automation.Macros.FirstOrDefaultAsync(m => m.Id == new MacroId(existing), cancellationToken);
            if (found is null)
            {
                return Error.NotFound("The macro");
            }

            var updated = found.Update(input.Name, teamId, input.Actions, now);
            if (!updated.IsSuccess)
            {
                return updated.Error!;
            }

            macro = found;
        }
        else
        {
            var created = Macro.Create(input.Name, teamId, input.Actions, now);
            if (!created.IsSuccess)
            {
                return created.Error!;
            }

            macro = created.Value;
            automation.Macros.Add(macro);
        }

        return await SaveAsync(() => MacroDto.From(macro), "macro.name", "A macro with this name exists.", cancellationToken);
    }

    public async Task<Result> DeleteMacroAsync(Guid id, CancellationToken cancellationToken)
    {
        var macro = await automation.Macros.FirstOrDefaultAsync(m => m.Id == new MacroId(id), cancellationToken);
        if (macro is null)
        {
            return Error.NotFound("The macro");
        }

        automation.Macros.Remove(macro);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>The latest firings (newest first), optionally of one rule/macro or one conversation.</summary>
    public async Task<IReadOnlyList<AutomationFiringDto>> FiringsAsync(Guid? sourceId, Guid? conversationId, int take, CancellationToken cancellationToken)
    {
        var query = automation.AutomationFirings.AsNoTracking();
        if (sourceId is { } s)
        {
            query = query.Where(f => f.SourceId == s);
        }

        if (conversationId is { } c)
        {
            var cid = new ConversationId(c);
            query = query.Where(f => f.ConversationId == cid);
        }

        var rows = await query.OrderByDescending(f => f.Id).Take(Math.Clamp(take, 1, MaxAuditRows)).ToListAsync(cancellationToken);
        return rows.Select(AutomationFiringDto.From).ToList();
    }

    private async Task<Result<T>> SaveAsync<T>(Func<T> value, string code, string duplicate, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            ruleCache.Invalidate(); // a rule or a macro: rules are cheap to reload
            return value();
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            db.DiscardChanges();
            return Error.Conflict(code, duplicate);
        }
    }
}

/// <summary>An agent applies a macro to a conversation they can see: its actions in one save, with an audit row.</summary>
public sealed class ApplyMacroHandler(IApplicationDbContext db, IAutomationDbContext automation, AutomationActionRunner runner, IRealtimeNotifier notifier, TimeProvider time)
{
    public async Task<Result<AutomationFiringDto>> HandleAsync(StaffMember staff, ConversationId conversationId, Guid macroId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var macro = await automation.Macros.AsNoTracking().FirstOrDefaultAsync(m => m.Id == new MacroId(macroId), cancellationToken);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        if (macro is null || !macro.AppliesTo(conversation))
        {
            return Error.NotFound("The macro");
        }

        var now = time.GetUtcNow();
        var done = await runner.ApplyAsync(conversation, macro.Actions, staff.Actor, "Macro: " + macro.Name, now, cancellationToken);
        var firing = AutomationFiring.Record(AutomationSource.Macro, macro.Id.Value, macro.Name, conversation, "Macro", done.Applied, done.Refused, staff.DisplayName, now);
        automation.AutomationFirings.Add(firing);
        var saved = await db.SaveOrConflictAsync(cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error!;
        }

        foreach (var notification in done.Notifications)
        {
            await notifier.NotifyStaffAsync(notification, cancellationToken);
        }

        return AutomationFiringDto.From(firing);
    }

    /// <summary>The macros this staff member may apply to the conversation.</summary>
    public async Task<IReadOnlyList<MacroDto>> AvailableAsync(StaffMember staff, ConversationId conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return [];
        }

        return (await automation.Macros.AsNoTracking().ToListAsync(cancellationToken))
            .Where(m => m.AppliesTo(conversation)).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Select(MacroDto.From).ToList();
    }
}
