using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Templates;

/// <summary>The approved templates the console offers for one conversation (those of its inbox), for staff who can view it.</summary>
public sealed class TemplateQueries(IApplicationDbContext db, IEnumerable<IMessageTemplateCatalog> catalogs)
{
    public async Task<Result<IReadOnlyList<MessageTemplate>>> ListAsync(StaffMember staff, ConversationId conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        var catalog = catalogs.FirstOrDefault(c => c.Channel == conversation.Channel);
        var inbox = catalog is null ? null : await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == conversation.InboxId, cancellationToken);
        return inbox is null ? Result<IReadOnlyList<MessageTemplate>>.Success([]) : Result<IReadOnlyList<MessageTemplate>>.Success(catalog!.For(inbox));
    }
}
