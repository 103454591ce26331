using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Abstractions;

/// <summary>The unit of work the use cases run in. Saving dispatches the aggregates' domain events after commit.</summary>
public interface IApplicationDbContext
{
    DbSet<Conversation> Conversations { get; }
    DbSet<Message> Messages { get; }
    DbSet<TimelineEntry> Timeline { get; }
    DbSet<Contact> Contacts { get; }
    DbSet<Agent> Agents { get; }
    DbSet<Team> Teams { get; }
    DbSet<Inbox> Inboxes { get; }
    DbSet<CustomStatus> CustomStatuses { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds the contact that owns an identity (kind + normalised value).</summary>
    Task<Contact?> FindContactByIdentityAsync(ContactIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>True when the exception is a unique-key violation (a concurrent duplicate insert).</summary>
    bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>Forgets tracked changes after a failed save so the unit of work can be retried.</summary>
    void DiscardChanges();
}
