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

    protected ContactCenterDbContext(DbContextOptions options, IDomainEventDispatcher? dispatcher, Application.Sla.SlaPlanner? slaPlanner = null,
        Application.Api.IdempotencyScope? idempotency = null)
        : base(options)
    {
        _dispatcher = dispatcher;
        SlaPlanner = slaPlanner;
        Idempotency = idempotency;
    }

    /// <summary>The request's Idempotency-Key, when its record is to be committed with the work it answers (absent outside requests).</summary>
    private Application.Api.IdempotencyScope? Idempotency { get; }

    /// <summary>The idempotency record the last save committed with its work, reported to the scope once the save has succeeded.</summary>
    private Application.Api.IdempotencyRecord? _recordCommitted;

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

        var unnumbered = ChangeTracker.Entries<Conversation>().Where(e => e.State == EntityState.Added && e.Entity.Number == Conversation.NumberOnSave).ToList();
        int written;
        try
        {
            written = await SaveAndNumberAsync(unnumbered, acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            // A failed save rolled its numbers back with it: a retry of the same entities takes new ones.
            unnumbered.ForEach(e => e.Property(c => c.Number).CurrentValue = Conversation.NumberOnSave);
            _recordCommitted = null;
            Idempotency?.NotCommitted();
            throw;
        }

        Idempotency?.Saved();
        if (_recordCommitted is { } record)
        {
            _recordCommitted = null;
            Idempotency!.Committed(record);
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

    /// <summary>
    /// Saves, first giving each new conversation opened with <see cref="Conversation.NumberOnSave"/> the next numbers of the
    /// counter (one UPDATE for all of them). Here (SQL Server) the counter is incremented in its own statement before the save,
    /// so the hot counter row is never locked for the length of a transaction; a failed save leaves a gap in the numbers.
    /// </summary>
    protected virtual async Task<int> SaveAndNumberAsync(IReadOnlyList<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Conversation>> unnumbered,
        bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unnumbered);
        if (unnumbered.Count > 0)
        {
            await AssignNumbersAsync(unnumbered, cancellationToken);
        }

        using (await EnterWriteAsync(cancellationToken))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
    }

    /// <summary>Takes <paramref name="count"/> numbers from the counter in one statement; returns the last one.</summary>
    protected abstract Task<long> TakeConversationNumbersAsync(int count, CancellationToken cancellationToken);

    protected async Task AssignNumbersAsync(IReadOnlyList<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Conversation>> unnumbered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unnumbered);
        var last = await TakeConversationNumbersAsync(unnumbered.Count, cancellationToken);
        var next = last - unnumbered.Count + 1;
        foreach (var entry in unnumbered)
        {
            entry.Property(c => c.Number).CurrentValue = next++;
        }
    }

    /// <summary>The entities a save is about to add, when the request's idempotency record may go with them (else null).</summary>
    protected IReadOnlyList<object>? AddedForIdempotency() =>
        Idempotency is { WantsRecord: true }
            ? ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList()
            : null;

    /// <summary>
    /// Inside the caller's open transaction, after the work's rows are written: composes the request's answer (reads see
    /// those rows), makes room for its key and inserts the idempotency record — committed with the work, or rolled back
    /// with it. A unique violation on the key means a concurrent request with the same key committed first:
    /// <see cref="Application.Api.IdempotencyKeyTakenException"/> (the caller's transaction then rolls this work back).
    /// </summary>
    protected async Task SaveIdempotencyRecordAsync(IReadOnlyList<object>? added, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (added is null || Idempotency is null || await Idempotency.ComposeAsync(added, cancellationToken) is not { } record)
        {
            return;
        }

        await Application.Api.IdempotencyStore.ClearExpiredAsync(this, record.Key, Idempotency.KeyExpired, record.CreatedAt, cancellationToken);
        IdempotencyRecords.Add(record);
        try
        {
            await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            Entry(record).State = EntityState.Detached;
            throw new Application.Api.IdempotencyKeyTakenException("A request with the same Idempotency-Key committed first.", ex);
        }

        _recordCommitted = record;
    }

    /// <summary>The base save (no events, no numbering): for the provider overrides of <see cref="SaveAndNumberAsync"/>.</summary>
    protected Task<int> SaveCoreAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

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
    Application.Sla.SlaPlanner? slaPlanner = null, Application.Api.IdempotencyScope? idempotency = null)
    : ContactCenterDbContext(options, dispatcher, slaPlanner, idempotency)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date type: store instants as sortable integers so ORDER BY and range filters run in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new(StringComparer.Ordinal);

    protected override async Task<long> TakeConversationNumbersAsync(int count, CancellationToken cancellationToken)
    {
        var values = await Database
            .SqlQueryRaw<long>("UPDATE \"Counters\" SET \"Value\" = \"Value\" + {0} WHERE \"Name\" = {1} RETURNING \"Value\"", count, Counter.ConversationNumber)
            .ToListAsync(cancellationToken);
        return values.Single();
    }

    /// <summary>
    /// New conversations get their numbers inside the transaction that stores them: one commit (one fsync) instead of two,
    /// and no gaps, since a failed save rolls the counter back with it. Writes are serialised per file anyway (the gate),
    /// so holding the counter row for the transaction costs no concurrency.
    /// </summary>
    protected override async Task<int> SaveAndNumberAsync(IReadOnlyList<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Conversation>> unnumbered,
        bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unnumbered);
        using (await EnterWriteAsync(cancellationToken))
        {
            if (unnumbered.Count == 0)
            {
                return await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            if (Database.CurrentTransaction is not null)
            {
                // The caller's transaction: numbered and saved inside it, committed by the caller.
                await AssignNumbersAsync(unnumbered, cancellationToken);
                return await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            var added = AddedForIdempotency();
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            await AssignNumbersAsync(unnumbered, cancellationToken);
            var written = await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
            // A request with an Idempotency-Key: its record joins this transaction (one commit, and never one without the other).
            await SaveIdempotencyRecordAsync(added, acceptAllChangesOnSuccess, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return written;
        }
    }

    /// <summary>
    /// SQLite has one writer per database file: concurrent savers would sleep in busy-retry loops (holding
    /// thread-pool threads). One in-process gate per file makes them queue instead. Inside a caller's own
    /// transaction the gate is not taken (the transaction already holds the file's write lock or will wait once).
    /// </summary>
    protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null || _holdsGate)
        {
            return null;
        }

        var gate = WriteGates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        _holdsGate = true;
        return new Releaser(gate, this);
    }

    /// <summary>True while this context holds its file's write gate (its own saves' commands then run without asking again).</summary>
    private bool _holdsGate;

    /// <summary>The gate taken for one bulk write statement (ExecuteUpdate/ExecuteDelete), released when it has run.</summary>
    private IDisposable? _statementGate;

    /// <summary>
    /// A write statement outside SaveChanges (ExecuteUpdate, ExecuteDelete, raw SQL) takes the gate too, so it queues behind
    /// the saves instead of meeting a held write lock: Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping on the calling
    /// thread and retrying (150 ms a time), which made every such collision cost 150 ms or more.
    /// </summary>
    internal async ValueTask EnterStatementAsync(System.Data.Common.DbCommand command, CancellationToken cancellationToken)
    {
        if (IsWrite(command) && await EnterWriteAsync(cancellationToken) is { } held)
        {
            _statementGate = held;
        }
    }

    internal void EnterStatement(System.Data.Common.DbCommand command)
    {
        if (IsWrite(command) && EnterWriteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } held)
        {
            _statementGate = held;
        }
    }

    internal void LeaveStatement() => Interlocked.Exchange(ref _statementGate, null)?.Dispose();

    private static bool IsWrite(System.Data.Common.DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        return text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Releaser(SemaphoreSlim gate, SqliteContactCenterDbContext owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._holdsGate = false;
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
    protected override async Task<long> TakeConversationNumbersAsync(int count, CancellationToken cancellationToken)
    {
        var values = await Database
            .SqlQueryRaw<long>("UPDATE [Counters] SET [Value] = [Value] + {0} OUTPUT inserted.[Value] WHERE [Name] = {1}", count, Counter.ConversationNumber)
            .ToListAsync(cancellationToken);
        return values.Single();
    }

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 };
}
