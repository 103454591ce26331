using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Reply;

/// <summary>An agent's reply or private note. ClientMessageId makes a retried send store nothing twice.</summary>
public sealed record SendAgentReply(ConversationId ConversationId, string Text, bool IsPrivate, string? ClientMessageId);

public sealed record ReplyResult(MessageId MessageId, bool Duplicate);

/// <summary>
/// Stores an agent's reply. A public reply on a channel with an outbound sender (email, messaging apps) gets an outbox
/// entry in the same transaction; the web chat is delivered by the realtime push itself.
/// </summary>
public sealed class SendAgentReplyHandler(IApplicationDbContext db, IOutboxDbContext outbox, TimeProvider time)
{
    /// <summary>Saves retried after a concurrent change of the same conversation (a reply, an assignment) before giving up.</summary>
    private const int MaxAttempts = 6;

    public async Task<Result<ReplyResult>> HandleAsync(StaffMember staff, SendAgentReply command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (command.ClientMessageId is { Length: > 100 })
        {
            return Error.Validation("message.client_id", "A client message id is at most 100 characters.");
        }

        var externalId = command.ClientMessageId is null ? null : $"agent:{command.ClientMessageId}";
        for (var attempt = 0; ; attempt++)
        {
            var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
            if (conversation is null || !staff.CanView(conversation))
            {
                return Error.NotFound("The conversation");
            }

            if (externalId is not null)
            {
                var existing = await db.Messages.AsNoTracking()
                    .Where(m => m.InboxId == conversation.InboxId && m.ExternalId == externalId)
                    .Select(m => (MessageId?)m.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                if (existing is not null)
                {
                    return new ReplyResult(existing.Value, Duplicate: true);
                }
            }

            var reply = conversation.ReplyFromAgent(staff.AgentId, staff.DisplayName, new MessageContent(command.Text ?? ""), command.IsPrivate, externalId, time.GetUtcNow());
            if (!reply.IsSuccess)
            {
                return reply.Error!;
            }

            if (!command.IsPrivate && OutboxRules.SendsThroughOutbox(conversation.Channel))
            {
                outbox.Outbox.Add(OutboxItem.For(reply.Value.Id, conversation.Id, conversation.InboxId, conversation.Channel, time.GetUtcNow()));
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new ReplyResult(reply.Value.Id, Duplicate: false);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && (db.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException))
            {
                db.DiscardChanges();
            }
        }
    }
}
