using System.Globalization;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Merge;

/// <summary>Folds a duplicate conversation of a contact into another one: the source closes and its messages show in the target.</summary>
public sealed record MergeConversations(ConversationId SourceId, ConversationId TargetId);

public sealed class MergeConversationsHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, MergeConversations command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (command.SourceId == command.TargetId)
        {
            return Error.Validation("conversation.merge_self", "A conversation cannot be merged into itself.");
        }

        var source = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.SourceId, cancellationToken);
        if (source is null || !staff.CanView(source))
        {
            return Error.NotFound("The conversation");
        }

        var target = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.TargetId, cancellationToken);
        if (target is null || !staff.CanView(target))
        {
            return Error.NotFound("The target conversation");
        }

        if (!staff.IsSupervisor && source.AssigneeId != staff.AgentId)
        {
            return Error.Forbidden("Only the assignee or a supervisor can merge a conversation.");
        }

        var now = time.GetUtcNow();
        var merged = source.MergeInto(target, staff.Actor, now);
        if (!merged.IsSuccess)
        {
            return merged;
        }

        var note = target.ReplyFromAgent(
            staff.AgentId,
            staff.DisplayName,
            new MessageContent("Merged #" + source.Number.ToString(CultureInfo.InvariantCulture) + " into this conversation"),
            isPrivate: true,
            null,
            now);
        if (!note.IsSuccess)
        {
            return note.Error!;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardChanges();
            return Error.Conflict("conversation.changed", "Someone else changed one of these conversations; reload and try again.");
        }
    }
}
