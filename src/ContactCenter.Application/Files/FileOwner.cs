using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Files;

/// <summary>
/// Which message a stored inbound file belongs to (email attachments and inline images, whose keys name only the inbox):
/// written in the same save as the message, so staff downloads can be checked against the conversation holding it
/// (through the message, so a merge that moves messages keeps the answer right).
/// </summary>
public sealed class FileOwner
{
    public const int MaxKeyLength = 200;

    private FileOwner() { }

    public string StorageKey { get; private set; } = "";
    public MessageId MessageId { get; private set; }

    public static FileOwner Of(string storageKey, MessageId messageId) => new() { StorageKey = storageKey, MessageId = messageId };
}

/// <summary>The file-owner index of the unit of work (same scoped DbContext as IApplicationDbContext).</summary>
public interface IFileOwnersDbContext
{
    DbSet<FileOwner> FileOwners { get; }
}

/// <summary>Whether staff may read an indexed inbound file: supervisors and admins always, agents when they can view its conversation.</summary>
public sealed class FileOwnerCheck(Abstractions.IApplicationDbContext db, IFileOwnersDbContext owners)
{
    public async Task<bool> StaffMayReadAsync(StaffMember staff, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (staff.IsSupervisor)
        {
            return true;
        }

        var conversationId = await owners.FileOwners.AsNoTracking()
            .Where(f => f.StorageKey == key)
            .Join(db.Messages.AsNoTracking(), f => f.MessageId, m => m.Id, (f, m) => (ConversationId?)m.ConversationId)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversationId is null)
        {
            return false;
        }

        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        return conversation is not null && staff.CanView(conversation);
    }
}
