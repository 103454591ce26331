using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.ChangeStatus;

public sealed record ChangeConversationStatus(ConversationId ConversationId, ConversationStatus Status, DateTimeOffset? SnoozeUntil = null, string? CustomStatusKey = null);

public sealed class ChangeConversationStatusHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, ChangeConversationStatus command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        Result changed;
        if (command.CustomStatusKey is not null)
        {
            var custom = await db.CustomStatuses.AsNoTracking().FirstOrDefaultAsync(s => s.Key == command.CustomStatusKey, cancellationToken);
            if (custom is null)
            {
                return Error.NotFound("The custom status");
            }

            changed = conversation.ApplyCustomStatus(custom, staff.Actor, time.GetUtcNow(), command.SnoozeUntil);
        }
        else
        {
            changed = conversation.ChangeStatus(command.Status, staff.Actor, time.GetUtcNow(), command.SnoozeUntil);
        }

        if (!changed.IsSuccess)
        {
            return changed;
        }

        return await db.SaveOrConflictAsync(cancellationToken);
    }
}
