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

public sealed record IdempotencyLookup(IdempotencyOutcome Outcome, IdempotencyRecord? Stored);

public sealed class IdempotencyStore(IIdempotencyDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public const int MaxKeyLength = 200;

    public async Task<IdempotencyLookup> FindAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key && r.ExpiresAt > now, cancellationToken);
        return stored is null
            ? new IdempotencyLookup(IdempotencyOutcome.New, null)
            : new IdempotencyLookup(stored.RequestHash == requestHash ? IdempotencyOutcome.Replay : IdempotencyOutcome.KeyReusedWithOtherBody, stored);
    }

    /// <summary>Stores a response (expired rows of the key and a few other expired rows go first). False when a concurrent twin won.</summary>
    public async Task<bool> SaveAsync(string key, string requestHash, int statusCode, string? contentType, string? location, byte[] body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Deletes are writes (SQLite: one writer at a time), so they run only when an indexed read finds something to delete:
        // the common case is then a single write, the insert.
        if (await db.IdempotencyRecords.AnyAsync(r => r.Key == key && r.ExpiresAt <= now, cancellationToken))
        {
            await db.IdempotencyRecords.Where(r => r.Key == key && r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        }

        if (await db.IdempotencyRecords.AnyAsync(r => r.ExpiresAt <= now, cancellationToken))
        {
            await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).Take(100).ExecuteDeleteAsync(cancellationToken);
        }

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
