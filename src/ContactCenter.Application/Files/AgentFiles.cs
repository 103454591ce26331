using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Files;

/// <summary>
/// Files agents attach to replies: uploaded for one conversation the agent can view (same content checks and size limit
/// as customers' uploads) and stored under a key naming the conversation and the agent, so a reply can only carry the
/// sending agent's own uploads for that conversation.
/// </summary>
public sealed class AgentFiles(IApplicationDbContext db, VisitorFiles files)
{
    public long MaxUploadBytes => files.MaxUploadBytes;

    public async Task<Result<UploadedFile>> UploadAsync(StaffMember staff, ConversationId conversationId, string? fileName, Stream content, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return Error.NotFound("The conversation");
        }

        return await files.UploadAsync(VisitorFiles.AgentPrefix(conversationId, staff.AgentId), fileName, content, length, cancellationToken);
    }

    /// <summary>The attachments of an agent's reply: each must be this agent's upload for this conversation.</summary>
    public Task<Result<IReadOnlyList<Attachment>>> ResolveAsync(StaffMember staff, ConversationId conversationId, IReadOnlyList<AttachmentReference>? references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return files.ResolveAsync(VisitorFiles.AgentPrefix(conversationId, staff.AgentId), references, cancellationToken);
    }

    /// <summary>Whether a web chat visitor may read an agent's file: only one uploaded for their own conversation in that inbox.</summary>
    public async Task<bool> VisitorMayReadAsync(string key, InboxId inboxId, ContactId contactId, CancellationToken cancellationToken)
    {
        if (!VisitorFiles.IsValidKey(key) || !key.StartsWith("a_", StringComparison.Ordinal) || !Guid.TryParseExact(key.AsSpan(2, 32), "N", out var id))
        {
            return false;
        }

        var conversationId = new ConversationId(id);
        return await db.Conversations.AsNoTracking().AnyAsync(c => c.Id == conversationId && c.InboxId == inboxId && c.ContactId == contactId, cancellationToken);
    }

    /// <summary>
    /// Whether a staff member may read a chat file: an agent's file belongs to its conversation, a visitor's to the
    /// conversations of that contact in that inbox; the staff member must be able to see one of them.
    /// </summary>
    public async Task<bool> StaffMayReadAsync(StaffMember staff, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (!VisitorFiles.IsValidKey(key))
        {
            return false;
        }

        if (staff.IsSupervisor)
        {
            return true;
        }

        var first = Guid.ParseExact(key.AsSpan(2, 32), "N");
        var second = Guid.ParseExact(key.AsSpan(35, 32), "N");
        List<Conversation> candidates;
        if (key.StartsWith("a_", StringComparison.Ordinal))
        {
            var conversationId = new ConversationId(first);
            candidates = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId).ToListAsync(cancellationToken);
        }
        else
        {
            var inboxId = new InboxId(first);
            var contactId = new ContactId(second);
            candidates = await db.Conversations.AsNoTracking().Where(c => c.InboxId == inboxId && c.ContactId == contactId).ToListAsync(cancellationToken);
        }

        return candidates.Any(staff.CanView);
    }
}
