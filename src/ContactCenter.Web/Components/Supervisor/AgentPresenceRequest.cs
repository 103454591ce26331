namespace ContactCenter.Web.Components.Supervisor;

/// <summary>A supervisor's choice of state for an agent.</summary>
public sealed record AgentPresenceRequest(Guid AgentId, Domain.Agents.Presence Presence);

/// <summary>Where a supervisor reassigns a conversation: an agent, or a team's queue.</summary>
public sealed record ReassignRequest(Guid ConversationId, Guid? AgentId, Guid? TeamId);
