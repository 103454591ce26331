using System.Security.Cryptography;
using System.Text;
using ContactCenter.Domain.Inboxes;
using Microsoft.Extensions.Configuration;

namespace ContactCenter.Channels.Messaging;

/// <summary>
/// Reads an inbox's secrets: the inbox setting holds a configuration KEY (e.g. <c>appSecretKey = "Channels:WhatsApp:Secrets:Shop"</c>)
/// and the value comes from configuration (user secrets, environment, a vault), so no secret is ever stored in the database.
/// </summary>
public sealed class InboxSecrets(IConfiguration configuration)
{
    /// <summary>The secret named by the inbox setting <paramref name="settingName"/>, or null when either is missing.</summary>
    public string? Get(Inbox inbox, string settingName)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return inbox.Settings.TryGetValue(settingName, out var key) && !string.IsNullOrWhiteSpace(key) && configuration[key] is { Length: > 0 } value
            ? value
            : null;
    }

    /// <summary>
    /// The two halves of a webhook check: the inbox's secret and the header the provider sent. When either is missing,
    /// the verification to answer with (not configured, or a missing signature: 401).
    /// </summary>
    public (string Secret, string Given)? SecretAndHeader(Inbox inbox, Application.Webhooks.WebhookRequest request, string settingName, string header, out Application.Webhooks.WebhookVerification? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        var secret = Get(inbox, settingName);
        if (secret is null)
        {
            problem = Application.Webhooks.WebhookVerification.NotConfigured($"The inbox has no secret configured (setting {settingName}).");
            return null;
        }

        var given = request.Header(header);
        if (string.IsNullOrWhiteSpace(given))
        {
            problem = Application.Webhooks.WebhookVerification.Missing($"The {header} header is missing.");
            return null;
        }

        return (secret, given.Trim());
    }

    public static string? Setting(Inbox inbox, string name) =>
        inbox.Settings.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Equality that takes the same time wherever the strings differ (for signatures and shared tokens).</summary>
    public static bool FixedTimeEquals(string? expected, string? actual)
    {
        if (expected is null || actual is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
    }
}
