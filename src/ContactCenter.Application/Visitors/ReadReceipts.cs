using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Visitors;

/// <summary>The widget showed the customer their chat up to <paramref name="UpToMessageId"/> (one of the agents' replies to them).</summary>
public sealed record MarkChatRead(ContactId ContactId, InboxId InboxId, MessageId UpToMessageId);

/// <param name="Marked">How many replies became "read" (0 for a repeat).</param>
public sealed record ChatReadResult(int Marked);

/// <summary>
/// Read receipts: every public reply of the visitor's conversation up to the given one is reported read (the agents'
/// console shows it live). A message of another visitor's conversation is "not found".
/// </summary>
public sealed class MarkChatReadHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result<ChatReadResult>> HandleAsync(MarkChatRead command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 0; ; attempt++)
        {
            var upTo = await db.Messages.AsNoTracking()
                .Where(m => m.Id == command.UpToMessageId)
                .Join(db.Conversations.Where(c => c.ContactId == command.ContactId && c.InboxId == command.InboxId), m => m.ConversationId, c => c.Id, (m, c) => new { m.ConversationId, m.CreatedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (upTo is null)
            {
                return Error.NotFound("The message");
            }

            var unread = await db.Messages
                .Where(m => m.ConversationId == upTo.ConversationId && m.Direction == MessageDirection.Outbound && !m.IsPrivate
                    && m.CreatedAt <= upTo.CreatedAt && m.DeliveryStatus != DeliveryStatus.Read && m.DeliveryStatus != DeliveryStatus.None)
                .ToListAsync(cancellationToken);
            if (unread.Count == 0)
            {
                return new ChatReadResult(0);
            }

            var conversation = await db.Conversations.FirstAsync(c => c.Id == upTo.ConversationId, cancellationToken);
            var now = time.GetUtcNow();
            foreach (var message in unread)
            {
                conversation.ReportDelivery(message, DeliveryStatus.Read, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new ChatReadResult(unread.Count);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.DiscardChanges();
            }
        }
    }
}
