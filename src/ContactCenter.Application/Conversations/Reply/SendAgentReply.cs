using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Templates;
using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Reply;

/// <summary>
/// An agent's reply or private note. ClientMessageId makes a retried send store nothing twice. With a Template the text is
/// ignored: the reply is the inbox's approved template rendered with its parameters (allowed outside the 24-hour window).
/// Attachments are files the agent uploaded for this conversation (<see cref="AgentFiles"/>).
/// </summary>
public sealed record SendAgentReply(
    ConversationId ConversationId, string Text, bool IsPrivate, string? ClientMessageId, TemplateChoice? Template = null, IReadOnlyList<AttachmentReference>? Attachments = null);

/// <summary>Which approved template to send (by name and language) and its parameters, in placeholder order.</summary>
public sealed record TemplateChoice(string Name, string Language, IReadOnlyList<string> Parameters);

public sealed record ReplyResult(MessageId MessageId, bool Duplicate);

/// <summary>
/// Stores an agent's reply. A public reply on a channel with an outbound sender (email, messaging apps) gets an outbox
/// entry in the same transaction; the web chat is delivered by the realtime push itself.
/// </summary>
public sealed class SendAgentReplyHandler(IApplicationDbContext db, IOutboxDbContext outbox, TimeProvider time, IEnumerable<IMessageTemplateCatalog> templates, AgentFiles files)
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
        var text = command.Text ?? "";
        IReadOnlyList<Attachment> attachments = [];
        if (command.Attachments is { Count: > 0 })
        {
            if (command.Template is not null)
            {
                return Error.Validation("template.attachments", "A template is sent without attachments.");
            }

            var resolved = await files.ResolveAsync(staff, command.ConversationId, command.Attachments, cancellationToken);
            if (!resolved.IsSuccess)
            {
                return resolved.Error!;
            }

            attachments = resolved.Value;
        }

        for (var attempt = 0; ; attempt++)
        {
            var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
            if (conversation is null || !staff.CanView(conversation))
            {
                return Error.NotFound("The conversation");
            }

            if (command.Template is { } choice)
            {
                var rendered = await RenderTemplateAsync(conversation, choice, command, cancellationToken);
                if (!rendered.IsSuccess)
                {
                    return rendered.Error!;
                }

                (text, externalId) = rendered.Value;
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

            var reply = conversation.ReplyFromAgent(staff.AgentId, staff.DisplayName, new MessageContent(text, null, attachments), command.IsPrivate, externalId, time.GetUtcNow());
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

    /// <summary>The rendered text and the template send's external id (see <see cref="TemplateSends"/>).</summary>
    private async Task<Result<(string Text, string ExternalId)>> RenderTemplateAsync(Conversation conversation, TemplateChoice choice, SendAgentReply command, CancellationToken cancellationToken)
    {
        if (command.IsPrivate)
        {
            return Error.Validation("template.private", "A template is sent to the customer; it cannot be a private note.");
        }

        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == conversation.InboxId, cancellationToken);
        var catalog = templates.FirstOrDefault(c => c.Channel == conversation.Channel);
        var template = inbox is null || catalog is null ? null : TemplateSends.Find(catalog.For(inbox), choice.Language ?? "", choice.Name ?? "");
        if (template is null)
        {
            return Error.Validation("template.unknown", $"'{choice.Name}' ({choice.Language}) is not an approved template of this inbox.");
        }

        var valid = template.ValidateParameters(choice.Parameters);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var text = template.Render(choice.Parameters);
        var back = template.Match(text);
        if (back is null || !back.SequenceEqual(choice.Parameters, StringComparer.Ordinal))
        {
            // The sender recovers the parameters from the stored text; refuse what would not come back identically.
            return Error.Validation("template.ambiguous", "These parameters cannot be told apart in the template's text; change one of them.");
        }

        var validText = new MessageContent(text).Validate();
        return validText.IsSuccess
            ? (text, TemplateSends.ExternalId(template, command.ClientMessageId ?? Guid.NewGuid().ToString("N")))
            : validText.Error!;
    }
}
