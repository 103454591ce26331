using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Realtime;

/// <summary>
/// The one fan-out point. Staff: the assignee (or the team while unassigned), anyone watching the
/// conversation, and supervisors for conversation changes. Customers: the web chat contact's group,
/// never private notes. With the Redis backplane on, groups span every node.
/// </summary>
public sealed class SignalRNotifier(IHubContext<AgentHub, IAgentClient> agents, IHubContext<ChatHub, IChatClient> customers) : IRealtimeNotifier
{
    public async Task MessageCreatedAsync(MessageDto message, ConversationSummaryDto conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(conversation);
        var staffGroups = new List<string> { AgentHub.ConversationGroup(conversation.Id) };
        if (conversation.AssigneeId is { } assignee)
        {
            staffGroups.Add(AgentHub.AgentGroup(assignee));
        }
        else if (conversation.TeamId is { } team)
        {
            staffGroups.Add(AgentHub.TeamGroup(team));
        }
        else
        {
            staffGroups.Add(AgentHub.SupervisorsGroup);
        }

        await agents.Clients.Groups(staffGroups).MessageCreated(message);
        if (conversation.Channel == ChannelKind.WebChat && !message.IsPrivate)
        {
            await customers.Clients.Group(ChatHub.ContactGroup(conversation.ContactId)).MessageReceived(ChatMessageDto.From(message));
        }
    }

    public Task SlaAlertAsync(Application.Sla.SlaAlertDto alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var groups = new List<string> { AgentHub.SupervisorsGroup };
        if (alert.AssigneeId is { } assignee)
        {
            groups.Add(AgentHub.AgentGroup(assignee));
        }

        return agents.Clients.Groups(groups).SlaAlert(alert);
    }

    public Task EscalationAsync(Application.Assist.EscalationAlertDto alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var groups = new List<string> { AgentHub.SupervisorsGroup };
        if (alert.AssigneeId is { } assignee)
        {
            groups.Add(AgentHub.AgentGroup(assignee));
        }

        return agents.Clients.Groups(groups).Escalated(alert);
    }

    public Task NotifyStaffAsync(Application.Automation.StaffNotificationDto notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return notification.AgentId is { } agent
            ? agents.Clients.Group(AgentHub.AgentGroup(agent)).StaffNotification(notification)
            : agents.Clients.Group(AgentHub.SupervisorsGroup).StaffNotification(notification);
    }

    public Task MessageUpdatedAsync(MessageDto message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return agents.Clients.Group(AgentHub.ConversationGroup(message.ConversationId)).MessageUpdated(message);
    }

    public async Task ConversationUpdatedAsync(ConversationSummaryDto conversation, Guid? previousAssigneeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var groups = new List<string> { AgentHub.SupervisorsGroup, AgentHub.ConversationGroup(conversation.Id) };
        if (conversation.AssigneeId is { } assignee)
        {
            groups.Add(AgentHub.AgentGroup(assignee));
        }

        if (conversation.TeamId is { } team)
        {
            groups.Add(AgentHub.TeamGroup(team));
        }

        await agents.Clients.Groups(groups).ConversationUpdated(conversation);
        if (previousAssigneeId is { } previous && previous != conversation.AssigneeId)
        {
            await agents.Clients.Group(AgentHub.AgentGroup(previous)).ConversationRemoved(conversation.Id);
        }

        if (conversation.Channel == ChannelKind.WebChat && conversation.AssigneeName is { } name && previousAssigneeId != conversation.AssigneeId)
        {
            await customers.Clients.Group(ChatHub.ContactGroup(conversation.ContactId)).AgentAssigned(name);
        }
    }

    public Task AgentPresenceChangedAsync(AgentPresenceDto presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return agents.Clients.Groups(AgentHub.SupervisorsGroup, AgentHub.AgentGroup(presence.AgentId)).PresenceChanged(presence);
    }

    public async Task QueuePositionsAsync(IReadOnlyList<QueuePositionDto> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var p in positions)
        {
            await customers.Clients.Group(ChatHub.ContactGroup(p.ContactId)).QueueUpdated(p.Position, p.EstimatedWaitSeconds);
        }
    }

    public Task OfferAsync(OfferDto offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return agents.Clients.Group(AgentHub.AgentGroup(offer.AgentId)).OfferReceived(offer);
    }

    public Task OfferWithdrawnAsync(Guid agentId, Guid conversationId, bool expired, CancellationToken cancellationToken) =>
        agents.Clients.Group(AgentHub.AgentGroup(agentId)).OfferWithdrawn(conversationId, expired);
}
