using System.Collections.Immutable;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Automation;

/// <summary>
/// The rules that are running in this async flow. Saving a rule's actions dispatches their events inside the save, in the
/// same flow, so a nested firing sees who is already running: a rule never re-triggers itself, and the chain stops at
/// <see cref="AutomationOptions.MaxDepth"/>.
/// </summary>
internal static class AutomationChain
{
    private static readonly AsyncLocal<ImmutableHashSet<AutomationRuleId>?> Running = new();
    private static readonly AsyncLocal<int> CurrentDepth = new();

    public static ImmutableHashSet<AutomationRuleId> Rules => Running.Value ?? [];

    public static int Depth => CurrentDepth.Value;

    public static IDisposable Enter(IEnumerable<AutomationRuleId> rules)
    {
        var (before, depth) = (Running.Value, CurrentDepth.Value);
        Running.Value = (before ?? []).Union(rules);
        CurrentDepth.Value = depth + 1;
        return new Exit(before, depth);
    }

    private sealed class Exit(ImmutableHashSet<AutomationRuleId>? rules, int depth) : IDisposable
    {
        public void Dispose()
        {
            Running.Value = rules;
            CurrentDepth.Value = depth;
        }
    }
}

/// <summary>
/// Runs the automation rules when their event is committed: gathers the facts, evaluates the rules (pure, in the domain),
/// applies the matching rules' actions and writes one audit row per firing in the same transaction, then sends the
/// notifications. Each dispatched event is handled once, on the node that committed it.
/// </summary>
public sealed partial class AutomationEngine(
    IApplicationDbContext db,
    IAutomationDbContext automation,
    AutomationRuleCache ruleCache,
    ISlaDbContext sla,
    AutomationActionRunner runner,
    IRealtimeNotifier notifier,
    TimeProvider time,
    IOptions<AutomationOptions> options,
    ILogger<AutomationEngine> logger) :
    IDomainEventHandler<ConversationCreated>,
    IDomainEventHandler<MessageAdded>,
    IDomainEventHandler<ConversationStatusChanged>,
    IDomainEventHandler<SlaThresholdReached>,
    IDomainEventHandler<ConversationAssigned>
{
    private const int MaxAttempts = 3;

    public Task HandleAsync(ConversationCreated domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return RunAsync(AutomationTrigger.ConversationCreated, domainEvent.ConversationId, null, cancellationToken);
    }

    public Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return domainEvent.Direction == MessageDirection.Inbound && !domainEvent.IsPrivate
            ? RunAsync(AutomationTrigger.MessageReceived, domainEvent.ConversationId, domainEvent.MessageId, cancellationToken)
            : Task.CompletedTask;
    }

    public Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return RunAsync(AutomationTrigger.StatusChanged, domainEvent.ConversationId, null, cancellationToken);
    }

    public Task HandleAsync(SlaThresholdReached domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var trigger = domainEvent.Kind == SlaEventKind.Breach ? AutomationTrigger.SlaBreach : AutomationTrigger.SlaWarning;
        return RunAsync(trigger, domainEvent.ConversationId, null, cancellationToken);
    }

    public Task HandleAsync(ConversationAssigned domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return domainEvent.AgentId is null ? Task.CompletedTask : RunAsync(AutomationTrigger.Assigned, domainEvent.ConversationId, null, cancellationToken);
    }

    private async Task RunAsync(AutomationTrigger trigger, ConversationId conversationId, MessageId? messageId, CancellationToken cancellationToken)
    {
        if (AutomationChain.Depth >= Math.Max(1, options.Value.MaxDepth))
        {
            LogDepthReached(logger, trigger, conversationId.Value, AutomationChain.Depth);
            return;
        }

        var running = AutomationChain.Rules;
        var rules = (await ruleCache.ForAsync(automation, trigger, cancellationToken))
            .Where(r => !running.Contains(r.Id))
            .ToList();
        if (rules.Count == 0)
        {
            return;
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null || conversation.MergedIntoId is not null)
            {
                return;
            }

            var now = time.GetUtcNow();
            var facts = await FactsAsync(trigger, conversation, messageId, now, cancellationToken);
            var matching = AutomationRule.Matching(rules, facts);
            if (matching.Count == 0)
            {
                return;
            }

            var notifications = new List<StaffNotificationDto>();
            foreach (var rule in matching)
            {
                var actor = new Actor(ActorKind.Automation, rule.Id.ToString(), "Automation: " + rule.Name);
                var done = await runner.ApplyAsync(conversation, rule.Actions, actor, "Rule: " + rule.Name, now, cancellationToken);
                notifications.AddRange(done.Notifications);
                automation.AutomationFirings.Add(AutomationFiring.Record(AutomationSource.Rule, rule.Id.Value, rule.Name, conversation, trigger.ToString(), done.Applied, done.Refused, null, now));
            }

            try
            {
                // The events these actions raise are dispatched inside this save: the chain keeps them from re-running these rules.
                using (AutomationChain.Enter(matching.Select(r => r.Id)))
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Someone changed the conversation meanwhile: evaluate again on its new state.
                db.DiscardChanges();
                continue;
            }

            LogFired(logger, matching.Count, trigger, conversation.Number);
            foreach (var notification in notifications)
            {
                await notifier.NotifyStaffAsync(notification, cancellationToken);
            }

            return;
        }
    }

    private async Task<AutomationFacts> FactsAsync(AutomationTrigger trigger, Conversation conversation, MessageId? messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attributes = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.Attributes).FirstOrDefaultAsync(cancellationToken)
            ?? new Dictionary<string, string>();
        string? text = null;
        if (messageId is { } id)
        {
            text = await db.Messages.AsNoTracking().Where(m => m.Id == id).Select(m => m.Text).FirstOrDefaultAsync(cancellationToken);
        }

        var open = true;
        if (conversation.TeamId is { } teamId)
        {
            var calendarId = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.BusinessHoursId).FirstOrDefaultAsync(cancellationToken);
            if (calendarId is { } cid)
            {
                var calendar = await sla.BusinessHours.AsNoTracking().FirstOrDefaultAsync(b => b.Id == cid, cancellationToken);
                open = SlaClock.For(calendar).IsOpen(now);
            }
        }

        return new AutomationFacts(trigger, conversation, attributes, text, open);
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Information, Message = "Automation: {Count} rule(s) fired on {Trigger} for conversation #{Number}")]
    private static partial void LogFired(ILogger logger, int count, AutomationTrigger trigger, long number);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Automation: {Trigger} on {ConversationId} not evaluated, the rule chain is {Depth} deep")]
    private static partial void LogDepthReached(ILogger logger, AutomationTrigger trigger, Guid conversationId, int depth);
}
