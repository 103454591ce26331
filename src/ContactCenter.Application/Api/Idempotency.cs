using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Api;

/// <summary>
/// The stored answer to a creating call sent with an <c>Idempotency-Key</c>: replayed for the same key and body,
/// refused (422) for the same key and another body. Keys are per caller; rows expire.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Caller (user id) + "|" + method and path + "|" + the client's key.</summary>
    public string Key { get; set; } = "";

    /// <summary>SHA-256 (hex) of the request body.</summary>
    public string RequestHash { get; set; } = "";

    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[] Body { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public interface IIdempotencyDbContext
{
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    bool IsUniqueViolation(DbUpdateException exception);

    void DiscardChanges();
}

public enum IdempotencyOutcome
{
    /// <summary>First time: run the request, then <see cref="IdempotencyStore.SaveAsync"/>.</summary>
    New = 0,
    Replay = 1,
    KeyReusedWithOtherBody = 2,
}

/// <param name="Expired">A row of this key exists but has expired (it is deleted before the key is stored again).</param>
public sealed record IdempotencyLookup(IdempotencyOutcome Outcome, IdempotencyRecord? Stored, bool Expired = false);

/// <summary>The answer a creating call is going to send, stored with its Idempotency-Key.</summary>
public sealed record IdempotentAnswer(int StatusCode, string? ContentType, string? Location, byte[] Body, object? Value = null);

/// <summary>
/// Another request with the same Idempotency-Key committed first: this request's work (saved in the same transaction as
/// its key) was rolled back. The caller answers with the stored answer of the winner (or 422 when its body differed).
/// Not a <see cref="Microsoft.EntityFrameworkCore.DbUpdateException"/>, so save-retry loops do not retry it.
/// </summary>
public sealed class IdempotencyKeyTakenException : Exception
{
    public IdempotencyKeyTakenException()
    {
    }

    public IdempotencyKeyTakenException(string message) : base(message)
    {
    }

    public IdempotencyKeyTakenException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// The Idempotency-Key of the current request (scoped), so that its record is written in the same transaction as the work
/// it answers: both are committed, or neither (docs/adr/021-write-path-performance.md). The middleware begins it; an
/// endpoint that can compose its answer inside the save registers <see cref="AnswerWith"/>; the SQLite save that adds
/// what the answer is about calls <see cref="ComposeAsync"/> inside its transaction and reports the commit with
/// <see cref="Committed"/>. Without a registered answer (or on providers that don't take part) the middleware stores the
/// record after the response, as before.
/// </summary>
public sealed class IdempotencyScope(TimeProvider time)
{
    private Func<IReadOnlyList<object>, CancellationToken, Task<IdempotentAnswer?>>? _answer;
    private int _savesAtRecord;

    public string? Key { get; private set; }

    public string? RequestHash { get; private set; }

    /// <summary>An expired row of the key is still there: the save deletes it before inserting the new one.</summary>
    public bool KeyExpired { get; private set; }

    /// <summary>The record committed with the work (null until then).</summary>
    public IdempotencyRecord? Stored { get; private set; }

    /// <summary>The answer's value as composed in the save (e.g. the DTO), for an endpoint that returns it unchanged.</summary>
    public object? StoredValue { get; private set; }

    /// <summary>Successful saves of this scope's context so far.</summary>
    public int Saves { get; private set; }

    /// <summary>True when a save of this scope committed after the record (an inline reaction may have changed what the answer shows).</summary>
    public bool ChangedSinceStored => Stored is not null && Saves > _savesAtRecord;

    /// <summary>A save should add the record: a key is pending, an answer is registered, nothing stored yet.</summary>
    public bool WantsRecord => Key is not null && _answer is not null && Stored is null;

    public void Begin(string key, string requestHash, bool keyExpired)
    {
        Key = key;
        RequestHash = requestHash;
        KeyExpired = keyExpired;
    }

    /// <summary>
    /// How the answer will look, given the entities the save adds (null: this save is not the one the answer is about).
    /// Runs inside the save's transaction after its rows are written, so reads see them. Ignored without a pending key.
    /// </summary>
    public void AnswerWith(Func<IReadOnlyList<object>, CancellationToken, Task<IdempotentAnswer?>> answer) => _answer = answer;

    /// <summary>The record to insert in the current transaction, or null when this save is not the one the answer is about.</summary>
    public async Task<IdempotencyRecord?> ComposeAsync(IReadOnlyList<object> added, CancellationToken cancellationToken)
    {
        if (!WantsRecord)
        {
            return null;
        }

        var answer = await _answer!(added, cancellationToken);
        if (answer is null)
        {
            return null;
        }

        StoredValue = answer.Value;
        var now = time.GetUtcNow();
        return new IdempotencyRecord
        {
            Key = Key!,
            RequestHash = RequestHash!,
            StatusCode = answer.StatusCode,
            ContentType = answer.ContentType,
            Location = answer.Location,
            Body = answer.Body,
            CreatedAt = now,
            ExpiresAt = now + IdempotencyStore.Lifetime,
        };
    }

    /// <summary>The transaction holding <paramref name="record"/> committed.</summary>
    public void Committed(IdempotencyRecord record)
    {
        Stored = record;
        _savesAtRecord = Saves;
    }

    /// <summary>The composed answer was not committed (the save failed): forget its value.</summary>
    public void NotCommitted() => StoredValue = null;

    /// <summary>Called by the context after every successful save.</summary>
    public void Saved() => Saves++;
}

public sealed class IdempotencyStore(IIdempotencyDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public const int MaxKeyLength = 200;

    public async Task<IdempotencyLookup> FindAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // One row per key (unique index), expired or not: an expired one counts as absent and is deleted before the key is stored again.
        var stored = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, cancellationToken);
        if (stored is null || stored.ExpiresAt <= now)
        {
            return new IdempotencyLookup(IdempotencyOutcome.New, null, Expired: stored is not null);
        }

        return new IdempotencyLookup(stored.RequestHash == requestHash ? IdempotencyOutcome.Replay : IdempotencyOutcome.KeyReusedWithOtherBody, stored);
    }

    /// <summary>Replaces the answer stored for <paramref name="record"/>'s key (an inline reaction changed what the first answer showed).</summary>
    public async Task ReplaceAnswerAsync(IdempotencyRecord record, int statusCode, string? contentType, string? location, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.StatusCode, statusCode)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location)
            .SetProperty(r => r.Body, body), cancellationToken);
    }

    private static long _nextSweepTicks;

    /// <summary>
    /// Makes room for <paramref name="key"/> (its expired row, when <paramref name="keyExpired"/> says there is one or it is not
    /// known) and deletes up to 100 other expired rows, looking for them at most once a minute per node. Deletes are writes
    /// (SQLite: one writer at a time), so they run only when an indexed read found something to delete.
    /// </summary>
    public static async Task ClearExpiredAsync(IIdempotencyDbContext db, string key, bool? keyExpired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (keyExpired ?? await db.IdempotencyRecords.AnyAsync(r => r.Key == key && r.ExpiresAt <= now, cancellationToken))
        {
            await db.IdempotencyRecords.Where(r => r.Key == key && r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        }

        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return;
        }

        if (await db.IdempotencyRecords.AnyAsync(r => r.ExpiresAt <= now, cancellationToken))
        {
            await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).Take(100).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>How often a node looks for expired rows of other keys.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>Stores a response (expired rows of the key and a few other expired rows go first). False when a concurrent twin won.</summary>
    /// <param name="keyExpired">What the lookup found (an expired row of the key); null: look again.</param>
    public async Task<bool> SaveAsync(string key, string requestHash, int statusCode, string? contentType, string? location, byte[] body, CancellationToken cancellationToken,
        bool? keyExpired = null)
    {
        var now = time.GetUtcNow();
        await ClearExpiredAsync(db, key, keyExpired, now, cancellationToken);

        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Key = key,
            RequestHash = requestHash,
            StatusCode = statusCode,
            ContentType = contentType,
            Location = location,
            Body = body,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            db.DiscardChanges();
            return false;
        }
    }
}
