using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Routing;

/// <summary>
/// What routing does when people come and go: an agent who goes offline gives back live chats and
/// offers; an agent who missed an offer (RONA) is set away; a conversation that reopens while its
/// agent is unavailable goes back to the queue.
/// </summary>
public sealed class RoutingReactions(IApplicationDbContext db, TimeProvider time, IOptions<RoutingOptions> options) :
    IDomainEventHandler<AgentPresenceChanged>,
    IDomainEventHandler<OfferWithdrawn>,
    IDomainEventHandler<ConversationStatusChanged>
{
    public async Task HandleAsync(AgentPresenceChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.To == Presence.Online)
        {
            return;
        }

        var now = time.GetUtcNow();
        var agentId = (AgentId?)domainEvent.AgentId;
        var offered = await db.Conversations.Where(c => c.OfferedAgentId == agentId).ToListAsync(cancellationToken);
        foreach (var conversation in offered)
        {
            conversation.DeclineOffer(domainEvent.AgentId, "(away)", now);
        }

        if (domainEvent.To == Presence.Offline)
        {
            // Live chats cannot wait for someone who left: back to the queue. Async tickets stay theirs.
            var live = await db.Conversations
                .Where(c => c.AssigneeId == agentId && c.Channel == ChannelKind.WebChat
                    && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
                .ToListAsync(cancellationToken);
            foreach (var conversation in live)
            {
                conversation.Unassign(Actor.Router, now, "the agent went offline");
            }
        }

        await SaveAsync(cancellationToken);
    }

    public async Task HandleAsync(OfferWithdrawn domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (!domainEvent.Expired || !options.Value.RonaSetsAway)
        {
            return;
        }

        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == domainEvent.AgentId, cancellationToken);
        if (agent is { Presence: Presence.Online })
        {
            agent.SetPresence(Presence.Away, "Missed an offer", time.GetUtcNow());
            await SaveAsync(cancellationToken);
        }
    }

    public async Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.To != ConversationStatus.Open || domainEvent.From is ConversationStatus.New or ConversationStatus.Open)
        {
            return;
        }

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == domainEvent.ConversationId, cancellationToken);
        if (conversation?.AssigneeId is not { } assignee)
        {
            return;
        }

        var presence = await db.Agents.Where(a => a.Id == assignee).Select(a => (Presence?)a.Presence).FirstOrDefaultAsync(cancellationToken);
        if (presence != Presence.Online)
        {
            conversation.Unassign(Actor.Router, time.GetUtcNow(), "reopened while its agent is unavailable");
            await SaveAsync(cancellationToken);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else changed these conversations meanwhile; the router's sweep re-examines every queue.
            db.DiscardChanges();
        }
    }
}
