using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Feedback;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Contacts;

public sealed record ContactIdentityDto(IdentityKind Kind, string Value);

public sealed record ContactConversationDto(Guid Id, long Number, ChannelKind Channel, string Subject, ConversationStatus Status, DateTimeOffset LastMessageAt);

public sealed record ContactCsatDto(Guid ConversationId, int Score, string? Comment, DateTimeOffset At);

/// <summary>The 360° view of a contact: identities on every channel, attributes, notes, conversations (those the staff member may see) and CSAT.</summary>
public sealed record ContactProfileDto(
    Guid Id,
    string Name,
    string? Email,
    string? Phone,
    IReadOnlyList<ContactIdentityDto> Identities,
    IReadOnlyDictionary<string, string> Attributes,
    string? Notes,
    IReadOnlyList<ContactConversationDto> Conversations,
    IReadOnlyList<ContactCsatDto> Csat);

/// <summary>A contact another one could be merged into (same name, email or phone).</summary>
public sealed record ContactMatchDto(Guid Id, string Name, string? Email, string? Phone);

public sealed class ContactQueries(IApplicationDbContext db, IFeedbackDbContext feedback)
{
    /// <summary>Agents' notes about the customer live in the contact attribute of this name.</summary>
    public const string NotesAttribute = "notes";

    public async Task<ContactProfileDto?> ProfileAsync(StaffMember staff, ContactId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var conversations = (await db.Conversations.AsNoTracking()
                .Where(c => c.ContactId == id && c.MergedIntoId == null)
                .OrderByDescending(c => c.LastMessageAt)
                .Take(200)
                .ToListAsync(cancellationToken))
            .Where(staff.CanView)
            .ToList();
        if (conversations.Count == 0 && !staff.IsSupervisor)
        {
            // A contact is visible through a conversation the staff member may open.
            return null;
        }

        // By conversation, so ratings follow conversations moved here by a contact merge.
        var conversationIds = await db.Conversations.AsNoTracking().Where(c => c.ContactId == id).Select(c => c.Id).ToListAsync(cancellationToken);
        var csat = await feedback.CsatRatings.AsNoTracking().Where(r => r.ContactId == id || conversationIds.Contains(r.ConversationId))
            .Select(r => new ContactCsatDto(r.ConversationId.Value, r.Score, r.Comment, r.CreatedAt))
            .ToListAsync(cancellationToken);
        var attributes = contact.Attributes.Where(a => a.Key != NotesAttribute).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return new ContactProfileDto(
            contact.Id.Value, contact.Name, contact.Email, contact.Phone,
            contact.Identities.Select(i => new ContactIdentityDto(i.Kind, i.Value)).ToList(),
            attributes,
            contact.Attributes.GetValueOrDefault(NotesAttribute),
            conversations.Select(c => new ContactConversationDto(c.Id.Value, c.Number, c.Channel, c.Subject, c.Status, c.LastMessageAt)).ToList(),
            csat.OrderByDescending(r => r.At).ToList());
    }

    /// <summary>Other live contacts sharing the name, email or phone: the likely duplicates to merge.</summary>
    public async Task<IReadOnlyList<ContactMatchDto>> DuplicatesAsync(ContactId id, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return [];
        }

        var (name, email, phone) = (contact.Name, contact.Email, contact.Phone);
        return await db.Contacts.AsNoTracking()
            .Where(c => c.Id != id && c.MergedIntoId == null
                && (c.Name == name || (email != null && c.Email == email) || (phone != null && c.Phone == phone)))
            .OrderBy(c => c.Name)
            .Take(20)
            .Select(c => new ContactMatchDto(c.Id.Value, c.Name, c.Email, c.Phone))
            .ToListAsync(cancellationToken);
    }
}
