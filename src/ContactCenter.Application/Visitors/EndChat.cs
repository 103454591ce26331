using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Visitors;

/// <summary>The web chat customer ends their current chat (the conversation becomes Resolved, by the customer).</summary>
public sealed record EndVisitorChat(ContactId ContactId, InboxId InboxId);

/// <param name="ConversationId">The chat that was ended, or the latest one when nothing was open.</param>
/// <param name="AlreadyEnded">Nothing was open: a repeat (or a chat the agent already resolved) changes nothing.</param>
public sealed record EndVisitorChatResult(Guid? ConversationId, bool AlreadyEnded);

public sealed class EndVisitorChatHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result<EndVisitorChatResult>> HandleAsync(EndVisitorChat command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 0; ; attempt++)
        {
            var conversation = await db.Conversations
                .Where(c => c.ContactId == command.ContactId && c.InboxId == command.InboxId)
                .OrderByDescending(c => c.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (conversation is null || conversation.Status is ConversationStatus.Resolved or ConversationStatus.Closed)
            {
                return new EndVisitorChatResult(conversation?.Id.Value, AlreadyEnded: true);
            }

            var name = await db.Contacts.AsNoTracking().Where(c => c.Id == command.ContactId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken) ?? "Customer";
            var changed = conversation.ChangeStatus(ConversationStatus.Resolved, Actor.Contact(command.ContactId, name), time.GetUtcNow());
            if (!changed.IsSuccess)
            {
                return changed.Error!;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new EndVisitorChatResult(conversation.Id.Value, AlreadyEnded: false);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The agent replied or the router assigned it meanwhile: look again.
                db.DiscardChanges();
            }
        }
    }
}
