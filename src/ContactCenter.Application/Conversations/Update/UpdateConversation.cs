using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Update;

/// <summary>Quick actions on a conversation: priority and tags.</summary>
public sealed record UpdateConversation(ConversationId ConversationId, Priority? Priority = null, string? AddTag = null, string? RemoveTag = null);

public sealed class UpdateConversationHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, UpdateConversation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        var now = time.GetUtcNow();
        var steps = new List<Func<Result>>();
        if (command.Priority is { } priority)
        {
            steps.Add(() => conversation.ChangePriority(priority, staff.Actor, now));
        }

        if (command.AddTag is { } add)
        {
            steps.Add(() => conversation.AddTag(add, staff.Actor, now));
        }

        if (command.RemoveTag is { } remove)
        {
            steps.Add(() => conversation.RemoveTag(remove, staff.Actor, now));
        }

        foreach (var step in steps)
        {
            var result = step();
            if (!result.IsSuccess)
            {
                return result;
            }
        }

        return await db.SaveOrConflictAsync(cancellationToken);
    }
}

public sealed record DirectoryAgentDto(Guid Id, string DisplayName, Presence Presence, IReadOnlyList<Guid> TeamIds);

public sealed record DirectoryTeamDto(Guid Id, string Name);

/// <summary>Who and where work can go: for transfer and assignment pickers.</summary>
public sealed class StaffDirectoryQueries(IApplicationDbContext db)
{
    public async Task<IReadOnlyList<DirectoryAgentDto>> AgentsAsync(CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.IsActive).OrderBy(a => a.DisplayName).ToListAsync(cancellationToken);
        return agents.Select(a => new DirectoryAgentDto(a.Id.Value, a.DisplayName, a.Presence, a.TeamIds.Select(t => t.Value).ToList())).ToList();
    }

    public async Task<IReadOnlyList<DirectoryTeamDto>> TeamsAsync(CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new DirectoryTeamDto(t.Id.Value, t.Name)).ToListAsync(cancellationToken);
}
