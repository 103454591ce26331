using System.Security.Cryptography;
using System.Text;
using ContactCenter.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Infrastructure.Identity;

public sealed record ApiTokenIdentity(Guid TokenId, string UserId, string Scopes);

/// <summary>Creates, checks and revokes personal API tokens. Tokens are random, prefixed "cc_", and stored only as SHA-256.</summary>
public sealed class ApiTokenService(ContactCenterDbContext db, TimeProvider time)
{
    public const string Prefix = "cc_";

    public async Task<string> CreateAsync(string userId, string name, string scopes, string? value, CancellationToken cancellationToken)
    {
        var token = value ?? Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var hash = Hash(token);
        if (await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, cancellationToken))
        {
            return token;
        }

        db.ApiTokens.Add(new ApiToken { UserId = userId, Name = name, Scopes = scopes, TokenHash = hash, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public async Task<ApiTokenIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new ApiTokenIdentity(row.Id, row.UserId, row.Scopes);
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
