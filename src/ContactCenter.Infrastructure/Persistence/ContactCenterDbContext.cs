using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactCenter.Infrastructure.Persistence;

/// <summary>
/// One database for the contact center and its sign-in accounts. Each provider has its own subclass
/// (and so its own migrations): <see cref="SqliteContactCenterDbContext"/>, <see cref="SqlServerContactCenterDbContext"/>.
/// </summary>
public abstract class ContactCenterDbContext : IdentityDbContext<ApplicationUser>, IApplicationDbContext, Application.Feedback.IFeedbackDbContext,
    Application.Outbound.IOutboxDbContext, Application.Sla.ISlaDbContext, Application.Replies.ICannedResponseDbContext, Application.Automation.IAutomationDbContext, Application.Reports.IReportsDbContext,
    Application.Webhooks.IWebhookInboxDbContext, Application.Email.IEmailDbContext, Application.Files.IFileOwnersDbContext, Application.Api.IIdempotencyDbContext,
    Application.Integrations.IIntegrationsDbContext, Application.Audit.IAuditDbContext,
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    private readonly IDomainEventDispatcher? _dispatcher;

    protected ContactCenterDbContext(DbContextOptions options, IDomainEventDispatcher? dispatcher, Application.Sla.SlaPlanner? slaPlanner = null)
        : base(options)
    {
        _dispatcher = dispatcher;
        SlaPlanner = slaPlanner;
    }

    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Inbox> Inboxes => Set<Inbox>();
    public DbSet<CustomStatus> CustomStatuses => Set<CustomStatus>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Application.Api.IdempotencyRecord> IdempotencyRecords => Set<Application.Api.IdempotencyRecord>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<Domain.Feedback.CsatRating> CsatRatings => Set<Domain.Feedback.CsatRating>();
    public DbSet<Application.Feedback.CsatSurvey> CsatSurveys => Set<Application.Feedback.CsatSurvey>();
    public DbSet<Application.Outbound.OutboxItem> Outbox => Set<Application.Outbound.OutboxItem>();
    public DbSet<Domain.Replies.CannedResponse> CannedResponses => Set<Domain.Replies.CannedResponse>();
    public DbSet<Application.Email.EmailQuarantineItem> EmailQuarantine => Set<Application.Email.EmailQuarantineItem>();
    public DbSet<Application.Email.ImapCursor> ImapCursors => Set<Application.Email.ImapCursor>();
    public DbSet<Application.Files.FileOwner> FileOwners => Set<Application.Files.FileOwner>();
    public DbSet<Domain.Sla.BusinessHoursCalendar> BusinessHours => Set<Domain.Sla.BusinessHoursCalendar>();
    public DbSet<Domain.Sla.SlaPolicy> SlaPolicies => Set<Domain.Sla.SlaPolicy>();
    public DbSet<Domain.Sla.SlaEvent> SlaEvents => Set<Domain.Sla.SlaEvent>();
    public DbSet<Domain.Automation.AutomationRule> AutomationRules => Set<Domain.Automation.AutomationRule>();
    public DbSet<Domain.Automation.Macro> Macros => Set<Domain.Automation.Macro>();
    public DbSet<Domain.Automation.AutomationFiring> AutomationFirings => Set<Domain.Automation.AutomationFiring>();
    public DbSet<Application.Reports.DailyRollup> DailyRollups => Set<Application.Reports.DailyRollup>();
    public DbSet<Application.Reports.AgentDailyRollup> AgentDailyRollups => Set<Application.Reports.AgentDailyRollup>();

    /// <summary>Plans SLA due times of changed conversations inside the save (absent in design-time and bare test contexts).</summary>
    private Application.Sla.SlaPlanner? SlaPlanner { get; }
    public DbSet<Application.Webhooks.WebhookInboxItem> WebhookInbox => Set<Application.Webhooks.WebhookInboxItem>();
    public DbSet<Application.Integrations.WebhookSubscription> WebhookSubscriptions => Set<Application.Integrations.WebhookSubscription>();
    public DbSet<Application.Integrations.WebhookDelivery> WebhookDeliveries => Set<Application.Integrations.WebhookDelivery>();
    public DbSet<Application.Integrations.WebhookAttempt> WebhookAttempts => Set<Application.Integrations.WebhookAttempt>();

    /// <summary>Append-only: saving refuses to change or delete an entry.</summary>
    public DbSet<Application.Audit.AuditEntry> AuditLog => Set<Application.Audit.AuditEntry>();

    /// <summary>ASP.NET Core data-protection keys (sign-in cookies, antiforgery), shared by every node of one database.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ContactCenterDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        ValueConversions.AddTypedIds(configurationBuilder);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (ChangeTracker.Entries<Application.Audit.AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("The audit log is append-only.");
        }

        if (SlaPlanner is { } planner)
        {
            var changed = ChangeTracker.Entries<Conversation>()
                .Where(e => e.State is EntityState.Added or EntityState.Modified)
                .Select(e => e.Entity)
                .ToList();
            if (changed.Count > 0)
            {
                await planner.PlanAsync(this, this, changed, cancellationToken);
            }
        }

        foreach (var entry in ChangeTracker.Entries<Conversation>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.BumpVersion();
            }
        }

        var aggregates = ChangeTracker.Entries<AggregateRoot>()
            .Select(e => e.Entity)
            .Where(e => e.DomainEvents.Count > 0)
            .ToList();
        var events = aggregates.SelectMany(a => a.DomainEvents).ToList();

        int written;
        using (await EnterWriteAsync(cancellationToken))
        {
            written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Committed: now (and only now) tell the rest of the system.
        aggregates.ForEach(a => a.ClearDomainEvents());
        if (_dispatcher is not null && events.Count > 0)
        {
            await _dispatcher.DispatchAsync(events, cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Synchronous saves are only for ASP.NET Core's data-protection key store (its repository saves synchronously);
    /// everything else goes through SaveChangesAsync, which dispatches domain events.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is not Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey))
        {
            throw new NotSupportedException("Use SaveChangesAsync: saving dispatches domain events asynchronously.");
        }

        using (EnterWriteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
    }

    public abstract Task<long> NextConversationNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>Providers whose writers lock the whole database serialise writes in-process instead of spinning on busy retries.</summary>
    protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    public Task<Contact?> FindContactByIdentityAsync(ContactIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Contacts.FirstOrDefaultAsync(c => c.Identities.Any(i => i.Kind == identity.Kind && i.Value == identity.Value), cancellationToken);
    }

    public abstract bool IsUniqueViolation(DbUpdateException exception);

    public void DiscardChanges() => ChangeTracker.Clear();
}

/// <summary>The embedded default: a SQLite file in WAL mode.</summary>
public sealed class SqliteContactCenterDbContext(DbContextOptions<SqliteContactCenterDbContext> options, IDomainEventDispatcher? dispatcher = null,
    Application.Sla.SlaPlanner? slaPlanner = null)
    : ContactCenterDbContext(options, dispatcher, slaPlanner)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date type: store instants as sortable integers so ORDER BY and range filters run in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new(StringComparer.Ordinal);

    public override async Task<long> NextConversationNumberAsync(CancellationToken cancellationToken = default)
    {
        using (await EnterWriteAsync(cancellationToken))
        {
            var values = await Database
                .SqlQueryRaw<long>("UPDATE \"Counters\" SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {0} RETURNING \"Value\"", Counter.ConversationNumber)
                .ToListAsync(cancellationToken);
            return values.Single();
        }
    }

    /// <summary>
    /// SQLite has one writer per database file: concurrent savers would sleep in busy-retry loops (holding
    /// thread-pool threads). One in-process gate per file makes them queue instead. Inside a caller's own
    /// transaction the gate is not taken (the transaction already holds the file's write lock or will wait once).
    /// </summary>
    protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return null;
        }

        var gate = WriteGates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };
}

/// <summary>The production provider.</summary>
public sealed class SqlServerContactCenterDbContext(DbContextOptions<SqlServerContactCenterDbContext> options, IDomainEventDispatcher? dispatcher = null,
    Application.Sla.SlaPlanner? slaPlanner = null)
    : ContactCenterDbContext(options, dispatcher, slaPlanner)
{
    public override async Task<long> NextConversationNumberAsync(CancellationToken cancellationToken = default)
    {
        var values = await Database
            .SqlQueryRaw<long>("UPDATE [Counters] SET [Value] = [Value] + 1 OUTPUT inserted.[Value] WHERE [Name] = {0}", Counter.ConversationNumber)
            .ToListAsync(cancellationToken);
        return values.Single();
    }

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 };
}
