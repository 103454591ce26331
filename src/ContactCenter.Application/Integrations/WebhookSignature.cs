using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Application.Integrations;

/// <summary>
/// The documented signature of outbound webhooks: <c>X-ContactCenter-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c>,
/// the HMAC keyed with the subscription's secret (its UTF-8 bytes) over <c>"{t}.{raw body}"</c>. Receivers recompute it,
/// compare in constant time and reject timestamps older than a few minutes (replays).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-ContactCenter-Signature";
    public const string EventHeader = "X-ContactCenter-Event";
    public const string DeliveryHeader = "X-ContactCenter-Delivery";

    public static string Sign(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body));
        return "t=" + timestamp.ToString(CultureInfo.InvariantCulture) + ",v1=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: parse, check the age, recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim() == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            {
                t = ts;
            }
            else if (kv.Length == 2 && kv[0].Trim() == "v1")
            {
                v1 = kv[1].Trim();
            }
        }

        if (t is null || v1 is null || Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, t.Value, body).Split(",v1=")[1]);
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1));
    }

    /// <summary>A new secret: "whsec_" and 32 random bytes (base64url).</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
