using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Realtime;

/// <summary>
/// Turns committed domain events into pushes to agents, teams, supervisors and customers. Called by
/// <see cref="RealtimeDispatcher"/> off the request path (events reach it through <see cref="RealtimeQueue"/>).
/// </summary>
public sealed class RealtimePublisher(IApplicationDbContext db, ConversationQueries queries, IRealtimeNotifier notifier, TimeProvider time)
{
    private readonly List<MessageId> _webChatSent = [];

    /// <summary>
    /// Marks the web chat replies handed to the customers' connections in this batch as sent, in one statement. Before, each
    /// reply's update waited for the database's write gate inside the push loop, holding up every push queued behind it.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_webChatSent.Count == 0)
        {
            return;
        }

        var ids = _webChatSent.ToList();
        _webChatSent.Clear();
        var at = time.GetUtcNow();
        await db.Messages.Where(m => ids.Contains(m.Id) && m.DeliveryStatus == DeliveryStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveryStatus, DeliveryStatus.Sent).SetProperty(m => m.DeliveryUpdatedAt, at), cancellationToken);
    }

    public async Task HandleAsync(ConversationOffered domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var summary = await queries.SummaryAsync(domainEvent.ConversationId, cancellationToken);
        if (summary is not null)
        {
            await notifier.OfferAsync(new OfferDto(summary, domainEvent.AgentId.Value, domainEvent.OccurredAt, domainEvent.ExpiresAt), cancellationToken);
        }
    }

    public Task HandleAsync(OfferWithdrawn domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return notifier.OfferWithdrawnAsync(domainEvent.AgentId.Value, domainEvent.ConversationId.Value, domainEvent.Expired, cancellationToken);
    }

    public async Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var message = await queries.MessageAsync(domainEvent.MessageId, cancellationToken);
        var summary = await queries.SummaryAsync(domainEvent.ConversationId, cancellationToken);
        if (message is null || summary is null)
        {
            return;
        }

        // The web chat's delivery is the push itself: it is sent once it is handed to the customer's connections.
        // The status is written for the whole batch by FlushAsync (one statement, not one write per reply in the push path).
        if (summary.Channel == ChannelKind.WebChat && message.Direction == MessageDirection.Outbound && !message.IsPrivate
            && message.DeliveryStatus == DeliveryStatus.Queued)
        {
            _webChatSent.Add(domainEvent.MessageId);
            message = message with { DeliveryStatus = DeliveryStatus.Sent };
        }

        await notifier.MessageCreatedAsync(message, summary, cancellationToken);
    }

    public async Task HandleAsync(MessageDeliveryChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var message = await queries.MessageAsync(domainEvent.MessageId, cancellationToken);
        if (message is not null)
        {
            await notifier.MessageUpdatedAsync(message, cancellationToken);
        }
    }

    public Task HandleAsync(ConversationCreated domainEvent, CancellationToken cancellationToken) =>
        PublishConversationAsync(domainEvent?.ConversationId ?? throw new ArgumentNullException(nameof(domainEvent)), assignmentChanged: false, null, cancellationToken);

    public Task HandleAsync(ConversationAssigned domainEvent, CancellationToken cancellationToken) =>
        PublishConversationAsync(domainEvent?.ConversationId ?? throw new ArgumentNullException(nameof(domainEvent)), assignmentChanged: true, domainEvent.PreviousAgentId?.Value, cancellationToken);

    public Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken) =>
        PublishConversationAsync(domainEvent?.ConversationId ?? throw new ArgumentNullException(nameof(domainEvent)), assignmentChanged: false, null, cancellationToken);

    public async Task HandleAsync(AgentPresenceChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == domainEvent.AgentId, cancellationToken);
        if (agent is not null)
        {
            await notifier.AgentPresenceChangedAsync(new AgentPresenceDto(agent.Id.Value, agent.DisplayName, agent.Presence, agent.AwayReason, agent.PresenceChangedAt), cancellationToken);
        }
    }

    /// <summary>A warning or breach: supervisors get the alert, and everyone watching sees the conversation's new SLA state.</summary>
    public async Task HandleAsync(SlaThresholdReached domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var summary = await queries.SummaryAsync(domainEvent.ConversationId, cancellationToken);
        if (summary is null)
        {
            return;
        }

        await notifier.SlaAlertAsync(new Sla.SlaAlertDto(summary.Id, summary.Number, summary.Subject, summary.TeamId, summary.AssigneeId,
            domainEvent.Metric, domainEvent.Kind, domainEvent.DueAt, domainEvent.OccurredAt), cancellationToken);
        await notifier.ConversationUpdatedAsync(summary, summary.AssigneeId, cancellationToken);
    }

    /// <summary>An escalation: supervisors are alerted, and everyone watching sees the new priority.</summary>
    public async Task HandleAsync(ConversationEscalated domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var summary = await queries.SummaryAsync(domainEvent.ConversationId, cancellationToken);
        if (summary is null)
        {
            return;
        }

        await notifier.EscalationAsync(new Assist.EscalationAlertDto(summary.Id, summary.Number, summary.Subject, summary.ContactName, summary.TeamId, summary.AssigneeId,
            domainEvent.Level, domainEvent.Priority, domainEvent.Reason, domainEvent.OccurredAt), cancellationToken);
        await notifier.ConversationUpdatedAsync(summary, summary.AssigneeId, cancellationToken);
    }

    private async Task PublishConversationAsync(ConversationId id, bool assignmentChanged, Guid? previousAssignee, CancellationToken cancellationToken)
    {
        var summary = await queries.SummaryAsync(id, cancellationToken);
        if (summary is not null)
        {
            // Unchanged assignment: pass the current assignee as "previous" so nobody is told of a hand-over.
            await notifier.ConversationUpdatedAsync(summary, assignmentChanged ? previousAssignee : summary.AssigneeId, cancellationToken);
        }
    }
}
