using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Application.Common;

/// <summary>The signed-in staff member a use case runs for.</summary>
public sealed record StaffMember(AgentId AgentId, string UserId, string DisplayName, StaffRole Role, IReadOnlyList<TeamId> TeamIds)
{
    public bool IsSupervisor => Role is StaffRole.Supervisor or StaffRole.Admin;

    public Actor Actor => Actor.Agent(AgentId, DisplayName);

    public static StaffMember From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(agent.Id, agent.UserId, agent.DisplayName, agent.Role, agent.TeamIds.ToList());
    }

    /// <summary>Supervisors and admins see everything; agents see their own, their teams' and team-less conversations.</summary>
    public bool CanView(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return IsSupervisor
            || conversation.AssigneeId == AgentId
            || conversation.TeamId is null
            || TeamIds.Contains(conversation.TeamId.Value);
    }

    public bool CanView(Realtime.ConversationSummaryDto conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return IsSupervisor
            || conversation.AssigneeId == AgentId.Value
            || conversation.TeamId is null
            || TeamIds.Any(t => t.Value == conversation.TeamId);
    }
}
