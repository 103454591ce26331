using System.Collections.Concurrent;
using System.Security.Claims;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Assign;
using ContactCenter.Application.Conversations.ChangeStatus;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Hubs;

public interface IAgentClient
{
    Task MessageCreated(MessageDto message);

    Task ConversationUpdated(ConversationSummaryDto conversation);

    /// <summary>The conversation left this agent (reassigned or released): drop it from "mine".</summary>
    Task ConversationRemoved(Guid conversationId);

    Task PresenceChanged(AgentPresenceDto presence);
}

public sealed record AgentReplyRequest(Guid ConversationId, string? Text, bool IsPrivate, string? ClientMessageId);

public sealed record AgentReplyResult(Guid MessageId, bool Duplicate);

/// <summary>The agents' hub: only signed-in staff. Each connection joins its agent, team and (for supervisors) supervisors groups.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class AgentHub(
    AgentDirectory directory,
    AgentConnections connections,
    SendAgentReplyHandler reply,
    AssignConversationHandler assign,
    ChangeConversationStatusHandler changeStatus,
    SetPresenceHandler presence,
    ConversationQueries queries,
    ContactCenter.Application.Supervision.SupervisorQueries supervision) : Hub<IAgentClient>
{
    public const string Path = "/hubs/agent";
    public const string SupervisorsGroup = "supervisors";

    public static string AgentGroup(Guid agentId) => $"agent:{agentId:N}";

    public static string TeamGroup(Guid teamId) => $"team:{teamId:N}";

    public static string ConversationGroup(Guid conversationId) => $"conversation:{conversationId:N}";

    private StaffMember Staff => Context.Items["staff"] as StaffMember
        ?? throw new HubException("forbidden: No agent profile for this account.");

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var agent = await directory.FindByUserIdAsync(userId, Context.ConnectionAborted);
        if (agent is null)
        {
            // Signed in, but not staff with an agent profile: refuse the connection.
            throw new HubException("forbidden: No agent profile for this account.");
        }

        var staff = StaffMember.From(agent);
        Context.Items["staff"] = staff;
        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroup(agent.Id.Value));
        foreach (var team in agent.TeamIds)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TeamGroup(team.Value));
        }

        if (staff.IsSupervisor)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, SupervisorsGroup);
        }

        if (connections.Connected(agent.Id) && agent.Presence == Presence.Offline)
        {
            await presence.HandleAsync(agent.Id, Presence.Online, null, Context.ConnectionAborted);
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["staff"] is StaffMember staff && connections.Disconnected(staff.AgentId))
        {
            await presence.HandleAsync(staff.AgentId, Presence.Offline, null, CancellationToken.None);
        }

        await base.OnDisconnectedAsync(exception);
    }

    public async Task<AgentReplyResult> SendReply(AgentReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = HubResults.Ensure(await reply.HandleAsync(
            Staff,
            new SendAgentReply(new ConversationId(request.ConversationId), request.Text ?? "", request.IsPrivate, request.ClientMessageId),
            Context.ConnectionAborted));
        return new AgentReplyResult(result.MessageId.Value, result.Duplicate);
    }

    /// <summary>Assigns to an agent (supervisors), to oneself (agents), or releases with a null agent.</summary>
    public async Task Assign(Guid conversationId, Guid? agentId) =>
        HubResults.Ensure(await assign.HandleAsync(
            Staff,
            new AssignConversation(new ConversationId(conversationId), agentId is { } a ? new AgentId(a) : null),
            Context.ConnectionAborted));

    public async Task SetStatus(Guid conversationId, ConversationStatus status, DateTimeOffset? snoozeUntil) =>
        HubResults.Ensure(await changeStatus.HandleAsync(Staff, new ChangeConversationStatus(new ConversationId(conversationId), status, snoozeUntil), Context.ConnectionAborted));

    public async Task SetPresence(Presence value, string? awayReason) =>
        HubResults.Ensure(await presence.HandleAsync(Staff.AgentId, value, awayReason, Context.ConnectionAborted));

    public sealed record AgentProfileDto(Guid AgentId, string DisplayName, StaffRole Role, IReadOnlyList<Guid> TeamIds);

    public AgentProfileDto Me() => new(Staff.AgentId.Value, Staff.DisplayName, Staff.Role, Staff.TeamIds.Select(t => t.Value).ToList());

    /// <summary>Queues, agents and load for the supervisor dashboard (supervisors and admins only).</summary>
    public Task<ContactCenter.Application.Supervision.SupervisorSnapshot> GetSupervisorSnapshot() =>
        Staff.IsSupervisor
            ? supervision.SnapshotAsync(Context.ConnectionAborted)
            : throw new HubFailureException(Error.Forbidden("Only supervisors see the dashboard."));

    public Task<InboxCounts> GetCounts() => queries.CountsAsync(Staff, Context.ConnectionAborted);

    public Task<IReadOnlyList<ConversationSummaryDto>> ListConversations(InboxView view, ConversationStatus? status, string? search) =>
        queries.ListAsync(Staff, new InboxFilter(view, status, search), Context.ConnectionAborted);

    public async Task<ConversationDetail> GetConversation(Guid conversationId) =>
        await queries.DetailAsync(Staff, new ConversationId(conversationId), 100, Context.ConnectionAborted)
        ?? throw new HubFailureException(Error.NotFound("The conversation"));

    /// <summary>Follow a conversation's live messages while it is open on screen.</summary>
    public async Task Watch(Guid conversationId)
    {
        _ = await GetConversation(conversationId);
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
    }

    public Task Unwatch(Guid conversationId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
}

/// <summary>Counts each agent's live connections on this node, so presence follows the first connect and the last disconnect.</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<AgentId, int> _counts = new();

    /// <summary>Returns true when this is the agent's first connection.</summary>
    public bool Connected(AgentId agent) => _counts.AddOrUpdate(agent, 1, (_, n) => n + 1) == 1;

    /// <summary>Returns true when that was the agent's last connection.</summary>
    public bool Disconnected(AgentId agent)
    {
        while (true)
        {
            if (!_counts.TryGetValue(agent, out var n))
            {
                return false;
            }

            if (n <= 1)
            {
                if (_counts.TryRemove(new KeyValuePair<AgentId, int>(agent, n)))
                {
                    return true;
                }
            }
            else if (_counts.TryUpdate(agent, n - 1, n))
            {
                return false;
            }
        }
    }

    public int Count(AgentId agent) => _counts.GetValueOrDefault(agent);
}
