using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Visitors;

/// <summary>
/// Checks a visitor's connection to the customers' hub against the inbox's policy: the page's Origin must be allowed, and
/// where the inbox requires identity the visitor must be a verified user (a token issued before that was switched on is refused).
/// </summary>
public sealed class VisitorAccess(IApplicationDbContext db)
{
    public async Task<Result> CheckConnectionAsync(ContactId contactId, InboxId inboxId, string? origin, CancellationToken cancellationToken)
    {
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId, cancellationToken);
        if (inbox is null || !inbox.IsEnabled)
        {
            return Error.NotFound("The chat inbox");
        }

        var policy = WidgetInboxPolicy.Of(inbox);
        if (!policy.AllowsOrigin(origin))
        {
            return WidgetInboxPolicy.OriginRefused;
        }

        if (policy.RequireIdentity)
        {
            var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
            if (contact is null || !IdentityHashes.IsVerifiedFor(contact, inboxId))
            {
                return WidgetInboxPolicy.IdentityRequired;
            }
        }

        return Result.Success();
    }
}
