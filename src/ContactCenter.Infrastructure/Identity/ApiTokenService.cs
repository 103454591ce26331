using System.Security.Cryptography;
using System.Text;
using ContactCenter.Application.Audit;
using ContactCenter.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Infrastructure.Identity;

public sealed record ApiTokenIdentity(Guid TokenId, string UserId, string Scopes);

public sealed record ApiTokenInfo(Guid Id, string Name, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt = null)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;
}

/// <summary>
/// What an API token may do, on top of its user's role: read (GET), write (creating and changing calls, hub commands),
/// admin (administration endpoints). Each level includes the ones below it.
/// </summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly string[] All = [Read, Write, Admin];

    public static int Level(string scope) => Array.IndexOf(All, scope);

    /// <summary>True when the token's scopes (space or comma separated) include <paramref name="required"/> or a higher one.</summary>
    public static bool Allows(string? granted, string required)
    {
        var need = Level(required);
        return need >= 0 && (granted ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(g => Level(g) >= need);
    }
}

/// <summary>
/// Creates, checks and revokes personal API tokens. Tokens are random, prefixed "cc_", and stored only as SHA-256; an optional
/// expiry is enforced when the token authenticates. Creating and revoking are audited (api_token.created / api_token.revoked).
/// </summary>
public sealed class ApiTokenService(ContactCenterDbContext db, TimeProvider time, AuditLog audit)
{
    public const string Prefix = "cc_";

    public Task<string> CreateAsync(string userId, string name, string scopes, string? value, CancellationToken cancellationToken) =>
        CreateAsync(userId, name, scopes, value, null, null, cancellationToken);

    /// <summary>A new token (the value is returned once); <paramref name="actor"/> is who is recorded in the audit log (default: the owner).</summary>
    public async Task<string> CreateAsync(string userId, string name, string scopes, string? value, DateTimeOffset? expiresAt, AuditActor? actor, CancellationToken cancellationToken)
    {
        var token = value ?? Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var hash = Hash(token);
        if (await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, cancellationToken))
        {
            return token;
        }

        var row = new ApiToken { UserId = userId, Name = name, Scopes = scopes, TokenHash = hash, CreatedAt = time.GetUtcNow(), ExpiresAt = expiresAt };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor ?? await OwnerAsync(userId, cancellationToken), AuditActions.ApiTokenCreated, row.Id.ToString(),
            new { userId, scopes, expiresAt }, cancellationToken);
        return token;
    }

    private async Task<AuditActor> OwnerAsync(string userId, CancellationToken cancellationToken) =>
        new(userId, await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email ?? u.UserName).FirstOrDefaultAsync(cancellationToken) ?? userId, null);

    public async Task<ApiTokenIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, cancellationToken);
        var now = time.GetUtcNow();
        if (row is null || (row.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new ApiTokenIdentity(row.Id, row.UserId, row.Scopes);
    }

    /// <summary>The user's tokens, newest first (never the value: only its hash is stored).</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenInfo(t.Id, t.Name, t.Scopes, t.CreatedAt, t.LastUsedAt, t.RevokedAt, t.ExpiresAt))
            .ToList();
    }

    /// <summary>Revokes one of the user's own tokens; false when it is not theirs or already revoked.</summary>
    public Task<bool> RevokeAsync(string userId, Guid tokenId, CancellationToken cancellationToken) => RevokeAsync(userId, tokenId, null, cancellationToken);

    /// <summary>Revokes one of the user's own tokens (audited); false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid tokenId, AuditActor? actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var revoked = await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken) == 1;
        if (revoked)
        {
            await audit.WriteAsync(actor ?? await OwnerAsync(userId, cancellationToken), AuditActions.ApiTokenRevoked, tokenId.ToString(), new { userId }, cancellationToken);
        }

        return revoked;
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
