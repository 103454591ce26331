using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Transfer;

/// <summary>Hands a conversation to another agent or another team's queue, with a note for the next person.</summary>
public sealed record TransferConversation(ConversationId ConversationId, AgentId? ToAgentId, TeamId? ToTeamId, string? Note);

public sealed class TransferConversationHandler(IApplicationDbContext db, TimeProvider time)
{
    public const int MaxNoteLength = 1000;

    public async Task<Result> HandleAsync(StaffMember staff, TransferConversation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (command.ToAgentId is null && command.ToTeamId is null)
        {
            return Error.Validation("transfer.target", "Transfer to an agent or a team.");
        }

        if (command.Note is { Length: > MaxNoteLength })
        {
            return Error.Validation("transfer.note", $"A transfer note is at most {MaxNoteLength} characters.");
        }

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        if (!staff.IsSupervisor && conversation.AssigneeId != staff.AgentId)
        {
            return Error.Forbidden("Only the assignee or a supervisor can transfer a conversation.");
        }

        var now = time.GetUtcNow();
        var actor = staff.Actor;
        if (command.ToTeamId is { } teamId)
        {
            var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken);
            if (team is null)
            {
                return Error.NotFound("The team");
            }

            if (command.ToAgentId is null)
            {
                var released = conversation.Unassign(actor, now, "transferred to " + team.Name);
                if (!released.IsSuccess)
                {
                    return released;
                }
            }

            var moved = conversation.MoveToTeam(team.Id, team.Name, actor, now, command.Note);
            if (!moved.IsSuccess)
            {
                return moved;
            }
        }

        if (command.ToAgentId is { } agentId)
        {
            var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.IsActive, cancellationToken);
            if (agent is null)
            {
                return Error.NotFound("The agent");
            }

            var assigned = conversation.Assign(agent.Id, agent.DisplayName, actor, now, "transfer" + (string.IsNullOrWhiteSpace(command.Note) ? "" : ": " + command.Note.Trim()));
            if (!assigned.IsSuccess)
            {
                return assigned;
            }

            agent.RecordAssignment(now);
        }

        if (!string.IsNullOrWhiteSpace(command.Note))
        {
            var note = conversation.ReplyFromAgent(staff.AgentId, staff.DisplayName, new MessageContent("Transfer note: " + command.Note.Trim()), isPrivate: true, null, now);
            if (!note.IsSuccess)
            {
                return note.Error!;
            }
        }

        return await db.SaveOrConflictAsync(cancellationToken);
    }
}
