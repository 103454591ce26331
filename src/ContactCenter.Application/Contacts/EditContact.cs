using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Contacts;

/// <summary>Changes a contact's name, notes and attributes (a null attribute value removes it).</summary>
public sealed record EditContact(ContactId ContactId, string? Name = null, string? Notes = null, IReadOnlyDictionary<string, string?>? Attributes = null);

public sealed class EditContactHandler(IApplicationDbContext db, ContactQueries queries, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, EditContact command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (await queries.ProfileAsync(staff, command.ContactId, cancellationToken) is null)
        {
            return Error.NotFound("The contact");
        }

        var contact = await db.Contacts.FirstAsync(c => c.Id == command.ContactId, cancellationToken);
        var now = time.GetUtcNow();
        if (command.Name is not null && contact.Rename(command.Name, now) is { IsSuccess: false } renamed)
        {
            return renamed;
        }

        if (command.Notes is not null
            && contact.SetAttribute(ContactQueries.NotesAttribute, string.IsNullOrWhiteSpace(command.Notes) ? null : command.Notes.Trim(), now) is { IsSuccess: false } noted)
        {
            return noted;
        }

        foreach (var (key, value) in command.Attributes ?? new Dictionary<string, string?>())
        {
            if (key == ContactQueries.NotesAttribute || contact.SetAttribute(key, value, now) is { IsSuccess: false })
            {
                return Error.Validation("contact.attribute", "Attribute names are 1 to 64 characters.");
            }
        }

        return await db.SaveOrConflictAsync(cancellationToken);
    }
}

/// <summary>
/// Merges a duplicate contact into another: identities and attributes move over (the target's own win), every
/// conversation moves to the target with a ContactMerged entry in its audit trail, and the duplicate is marked merged.
/// </summary>
public sealed record MergeContacts(ContactId SourceId, ContactId TargetId);

public sealed class MergeContactsHandler(IApplicationDbContext db, ContactQueries queries, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, MergeContacts command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (await queries.ProfileAsync(staff, command.SourceId, cancellationToken) is null
            || await queries.ProfileAsync(staff, command.TargetId, cancellationToken) is null)
        {
            return Error.NotFound("The contact");
        }

        var source = await db.Contacts.FirstAsync(c => c.Id == command.SourceId, cancellationToken);
        var target = await db.Contacts.FirstAsync(c => c.Id == command.TargetId, cancellationToken);
        var now = time.GetUtcNow();
        var absorbed = target.Absorb(source, now);
        if (!absorbed.IsSuccess)
        {
            return absorbed;
        }

        var conversations = await db.Conversations.Where(c => c.ContactId == command.SourceId).ToListAsync(cancellationToken);
        foreach (var conversation in conversations)
        {
            conversation.MoveToContact(target.Id, source.Name, target.Name, staff.Actor, now);
        }

        return await db.SaveOrConflictAsync(cancellationToken);
    }
}
