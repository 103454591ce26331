using System.Security.Cryptography;
using System.Text;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;

namespace ContactCenter.Application.Visitors;

/// <summary>
/// A web chat inbox's protection, from its settings:
/// <c>allowedOrigins</c> (comma-separated origins such as https://shop.example; empty = any site may embed the widget),
/// <c>requireIdentity</c> (true: only users verified by the host site may chat) and
/// <c>identitySecretKey</c> (the NAME of a configuration key holding the HMAC secret, e.g. Widget:Secrets:WebsiteChat;
/// the secret itself never lives in the database).
/// </summary>
public sealed record WidgetInboxPolicy(IReadOnlyList<string> AllowedOrigins, bool RequireIdentity, string? IdentitySecretKey)
{
    public const string AllowedOriginsSetting = "allowedOrigins";
    public const string RequireIdentitySetting = "requireIdentity";
    public const string IdentitySecretKeySetting = "identitySecretKey";

    public static WidgetInboxPolicy Of(Inbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var origins = inbox.Settings.TryGetValue(AllowedOriginsSetting, out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NormalizeOrigin).OfType<string>().ToList()
            : [];
        var require = inbox.Settings.TryGetValue(RequireIdentitySetting, out var flag) && bool.TryParse(flag, out var on) && on;
        var secretKey = inbox.Settings.TryGetValue(IdentitySecretKeySetting, out var key) && !string.IsNullOrWhiteSpace(key) ? key.Trim() : null;
        return new WidgetInboxPolicy(origins, require, secretKey);
    }

    /// <summary>True when no origins are configured, or the request's Origin header is one of them. A missing Origin is refused when origins are configured.</summary>
    public bool AllowsOrigin(string? origin)
    {
        if (AllowedOrigins.Count == 0)
        {
            return true;
        }

        return NormalizeOrigin(origin) is { } normalized && AllowedOrigins.Contains(normalized, StringComparer.Ordinal);
    }

    /// <summary>scheme://host[:port] in lower case without a trailing slash, or null when it is not an http(s) origin.</summary>
    public static string? NormalizeOrigin(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin) || !Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}".ToLowerInvariant() : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();
    }

    public static readonly Error OriginRefused = new("forbidden.origin", "This website is not allowed to use this chat.");
    public static readonly Error IdentityRequired = new("unauthorized.identity_required", "This chat is only for signed-in users: the website must pass a verified user id.");
    public static readonly Error IdentityInvalid = new("forbidden.identity_invalid", "The user identity could not be verified.");
    public static readonly Error IdentityNotConfigured = new("forbidden.identity_not_configured", "This chat requires verified users but has no identity secret configured.");
}

/// <summary>
/// The host site's proof of who its signed-in user is: HMAC-SHA256 of the user id (UTF-8) keyed with the inbox secret (UTF-8),
/// as lower- or upper-case hex. Checked in constant time.
/// </summary>
public static class IdentityHashes
{
    public const int MaxUserIdLength = 200;

    public static string Compute(string secret, string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(userId);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));
    }

    public static bool Verify(string secret, string userId, string? hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(userId);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId));
        var given = new byte[expected.Length];
        var text = hash?.Trim() ?? "";
        var parsed = text.Length == expected.Length * 2
            && Convert.FromHexString(text, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == given.Length;
        // Compare even when the hash did not parse, so the timing says nothing about which check failed.
        return CryptographicOperations.FixedTimeEquals(expected, given) && parsed;
    }

    /// <summary>The contact identity of a verified user of one inbox: history follows them across devices.</summary>
    public static ContactIdentity ExternalIdentity(InboxId inboxId, string userId) =>
        ContactIdentity.Create(IdentityKind.External, $"inbox:{inboxId.Value:D}:{userId}");

    /// <summary>A verified user's stable visitor id (the scope of their widget message ids), the same on every device.</summary>
    public static string VisitorIdOf(InboxId inboxId, string userId) =>
        "u" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"inbox:{inboxId.Value:D}:{userId}")))[..31];

    /// <summary>True when the contact is a verified user of this inbox.</summary>
    public static bool IsVerifiedFor(Contact contact, InboxId inboxId)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var prefix = $"inbox:{inboxId.Value:D}:";
        return contact.Identities.Any(i => i.Kind == IdentityKind.External && i.Value.StartsWith(prefix, StringComparison.Ordinal));
    }
}
