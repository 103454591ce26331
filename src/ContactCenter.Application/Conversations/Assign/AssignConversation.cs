using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Assign;

/// <summary>Manual assignment (or unassignment with a null agent) by an agent taking work or a supervisor moving it.</summary>
public sealed record AssignConversation(ConversationId ConversationId, AgentId? AgentId);

public sealed class AssignConversationHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, AssignConversation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        var now = time.GetUtcNow();
        if (command.AgentId is null)
        {
            if (!staff.IsSupervisor && conversation.AssigneeId != staff.AgentId)
            {
                return Error.Forbidden("Only the assignee or a supervisor can release a conversation.");
            }

            var released = conversation.Unassign(staff.Actor, now);
            return released.IsSuccess ? await SaveAsync(cancellationToken) : released;
        }

        if (!staff.IsSupervisor && command.AgentId != staff.AgentId)
        {
            return Error.Forbidden("Agents can take conversations for themselves; supervisors assign others.");
        }

        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == command.AgentId, cancellationToken);
        if (agent is null || !agent.IsActive)
        {
            return Error.NotFound("The agent");
        }

        if (conversation.TeamId is { } team && !agent.IsInTeam(team) && !staff.IsSupervisor)
        {
            return Error.Forbidden("The agent is not in the conversation's team.");
        }

        var assigned = conversation.Assign(agent.Id, agent.DisplayName, staff.Actor, now);
        if (!assigned.IsSuccess)
        {
            return assigned;
        }

        agent.RecordAssignment(now);
        return await SaveAsync(cancellationToken);
    }

    private Task<Result> SaveAsync(CancellationToken cancellationToken) => db.SaveOrConflictAsync(cancellationToken);
}
