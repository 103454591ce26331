using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Teams;

namespace ContactCenter.Domain.Routing;

/// <summary>An agent as the router sees it: presence, teams, skills, current load.</summary>
public sealed record AgentCandidate(
    AgentId Id,
    Presence Presence,
    IReadOnlyCollection<TeamId> Teams,
    IReadOnlyDictionary<string, int> Skills,
    Capacity Capacity,
    int ActiveLive,
    int ActiveAsync,
    DateTimeOffset? LastAssignedAt)
{
    public int Load(WorkKind kind) => kind == WorkKind.Live ? ActiveLive : ActiveAsync;

    public bool HasRoomFor(WorkKind kind) => Load(kind) < Capacity.For(kind);

    public AgentCandidate WithOneMore(WorkKind kind, DateTimeOffset at) => kind == WorkKind.Live
        ? this with { ActiveLive = ActiveLive + 1, LastAssignedAt = at }
        : this with { ActiveAsync = ActiveAsync + 1, LastAssignedAt = at };
}

/// <summary>
/// A conversation waiting for an agent. PreferredAgentId: the contact's last agent (sticky routing);
/// OverflowTeamId: a second team whose agents may take it because it has waited too long;
/// ExcludedAgents: agents who declined or let an offer expire.
/// </summary>
public sealed record WorkItem(
    ConversationId ConversationId,
    TeamId? TeamId,
    WorkKind Kind,
    Priority Priority,
    DateTimeOffset WaitingSince,
    IReadOnlyDictionary<string, int>? RequiredSkills = null,
    AgentId? PreferredAgentId = null,
    TeamId? OverflowTeamId = null,
    IReadOnlyCollection<AgentId>? ExcludedAgents = null);

/// <summary>Why the router chose an agent (written to the timeline).</summary>
public enum RoutingReason
{
    LeastBusy = 0,
    RoundRobin = 1,
    Sticky = 2,
    Overflow = 3,
}

public sealed record RoutingAssignment(ConversationId ConversationId, AgentId AgentId, RoutingReason Reason = RoutingReason.LeastBusy)
{
    public string Describe() => Reason switch
    {
        RoutingReason.Sticky => "sticky: the customer's last agent is available",
        RoutingReason.Overflow => "overflow: waited past the team's limit, taken by the overflow team",
        RoutingReason.RoundRobin => "round robin: next in rotation",
        _ => "least busy eligible agent",
    };
}

/// <summary>
/// The routing decision as a pure function. Invariants: each item is given to at most one agent;
/// no agent goes over capacity; items are served by priority, then longest wait; an item stays
/// waiting only when no eligible agent has room.
/// </summary>
public static class RoutingPolicy
{
    public static bool IsEligible(AgentCandidate agent, WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(item);
        if (agent.Presence != Presence.Online || !agent.HasRoomFor(item.Kind))
        {
            return false;
        }

        if (item.TeamId is { } team && !agent.Teams.Contains(team)
            && !(item.OverflowTeamId is { } overflow && agent.Teams.Contains(overflow)))
        {
            return false;
        }

        if (item.ExcludedAgents is { Count: > 0 } excluded && excluded.Contains(agent.Id))
        {
            return false;
        }

        if (item.RequiredSkills is { Count: > 0 } required)
        {
            foreach (var (skill, level) in required)
            {
                if (!agent.Skills.TryGetValue(skill, out var has) || has < level)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Picks the agent for one item, or null when nobody eligible has room.</summary>
    public static AgentCandidate? SelectAgent(WorkItem item, IEnumerable<AgentCandidate> agents, RoutingStrategy strategy) =>
        Choose(item, agents, strategy)?.Agent;

    /// <summary>Picks the agent for one item with the reason: the sticky agent when eligible, else by strategy.</summary>
    public static (AgentCandidate Agent, RoutingReason Reason)? Choose(WorkItem item, IEnumerable<AgentCandidate> agents, RoutingStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(agents);
        if (strategy == RoutingStrategy.Manual)
        {
            return null;
        }

        AgentCandidate? best = null;
        foreach (var agent in agents)
        {
            if (!IsEligible(agent, item))
            {
                continue;
            }

            if (agent.Id == item.PreferredAgentId)
            {
                return (agent, RoutingReason.Sticky);
            }

            if (best is null || Better(agent, best, item.Kind, strategy))
            {
                best = agent;
            }
        }

        if (best is null)
        {
            return null;
        }

        var overflowed = item.TeamId is { } team && !best.Teams.Contains(team);
        return (best, overflowed ? RoutingReason.Overflow : strategy == RoutingStrategy.RoundRobin ? RoutingReason.RoundRobin : RoutingReason.LeastBusy);
    }

    private static bool Better(AgentCandidate a, AgentCandidate b, WorkKind kind, RoutingStrategy strategy)
    {
        if (strategy == RoutingStrategy.LeastBusy)
        {
            // Lowest share of capacity in use; ties go to whoever waited longest since their last assignment.
            var la = (double)a.Load(kind) / Math.Max(1, a.Capacity.For(kind));
            var lb = (double)b.Load(kind) / Math.Max(1, b.Capacity.For(kind));
            if (la != lb)
            {
                return la < lb;
            }
        }

        var ta = a.LastAssignedAt ?? DateTimeOffset.MinValue;
        var tb = b.LastAssignedAt ?? DateTimeOffset.MinValue;
        if (ta != tb)
        {
            return ta < tb;
        }

        return a.Id.Value.CompareTo(b.Id.Value) < 0;
    }

    /// <summary>Queue order: higher priority first, then longest waiting.</summary>
    public static IEnumerable<WorkItem> QueueOrder(IEnumerable<WorkItem> items) =>
        items.OrderByDescending(i => i.Priority).ThenBy(i => i.WaitingSince).ThenBy(i => i.ConversationId.Value);

    /// <summary>Distributes waiting items over agents in queue order, updating loads as it goes.</summary>
    public static IReadOnlyList<RoutingAssignment> Distribute(
        IEnumerable<WorkItem> waiting,
        IEnumerable<AgentCandidate> agents,
        Func<TeamId?, RoutingStrategy> strategyOf,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(strategyOf);
        var pool = agents.ToDictionary(a => a.Id);
        var result = new List<RoutingAssignment>();
        var seen = new HashSet<ConversationId>();
        foreach (var item in QueueOrder(waiting))
        {
            if (!seen.Add(item.ConversationId))
            {
                continue;
            }

            if (Choose(item, pool.Values, strategyOf(item.TeamId)) is not { } chosen)
            {
                continue;
            }

            // Each assignment in a pass is "later" than the previous one, so round robin keeps rotating within a pass.
            pool[chosen.Agent.Id] = chosen.Agent.WithOneMore(item.Kind, now.AddTicks(result.Count + 1));
            result.Add(new RoutingAssignment(item.ConversationId, chosen.Agent.Id, chosen.Reason));
        }

        return result;
    }
}
