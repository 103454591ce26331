using System.Security.Cryptography;
using System.Text.Json;
using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;

namespace ContactCenter.Channels.Messaging;

/// <summary>
/// What WhatsApp Cloud API and Messenger share (both are Meta webhooks): the GET <c>hub.challenge</c> handshake with the
/// inbox's verify token, and <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body with the app secret&gt;</c>.
/// Inbox settings: <c>appSecretKey</c>, <c>verifyTokenKey</c> (configuration keys of the secrets).
/// </summary>
public static class MetaWebhooks
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string AppSecretSetting = "appSecretKey";
    public const string VerifyTokenSetting = "verifyTokenKey";
    public const string AccessTokenSetting = "accessTokenKey";

    public static HandshakeResult Handshake(InboxSecrets secrets, Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(request);
        var expected = secrets.Get(inbox, VerifyTokenSetting);
        if (expected is null)
        {
            return new HandshakeResult(503, "The inbox has no verify token configured.");
        }

        return request.QueryValue("hub.mode") == "subscribe"
               && InboxSecrets.FixedTimeEquals(expected, request.QueryValue("hub.verify_token"))
               && request.QueryValue("hub.challenge") is { Length: > 0 } challenge
            ? new HandshakeResult(200, challenge)
            : new HandshakeResult(403, "The verify token does not match.");
    }

    public static WebhookVerification Verify(InboxSecrets secrets, Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(request);
        if (secrets.SecretAndHeader(inbox, request, AppSecretSetting, SignatureHeader, out var problem) is not var (secret, header))
        {
            return problem!;
        }

        return InboxSecrets.FixedTimeEquals(Sign(secret, request.Body), header)
            ? WebhookVerification.Ok
            : WebhookVerification.Invalid($"The {SignatureHeader} signature does not match the body.");
    }

    /// <summary>"sha256=" + lower-case hex HMAC-SHA256 of the body with the app secret.</summary>
    public static string Sign(string appSecret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(appSecret), body));
    }

    /// <summary>A JSON object with the expected "object" value, else a 400 reason.</summary>
    public static Result<AcceptedWebhook> AcceptJson(WebhookRequest request, string expectedObject)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var doc = JsonDocument.Parse(request.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.String)
            {
                return Error.Validation("webhook.shape", "The body is not a Meta webhook (a JSON object with \"object\" and \"entry\").");
            }

            if (obj.GetString() != expectedObject)
            {
                return Error.Validation("webhook.object", $"The webhook is for \"{obj.GetString()}\", not \"{expectedObject}\".");
            }

            return new AcceptedWebhook(null, "EVENT_RECEIVED");
        }
        catch (JsonException ex)
        {
            return Error.Validation("webhook.json", $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Meta's webhooks share the handshake, the signature and the envelope; WhatsApp and Messenger differ in content.</summary>
    public abstract class Channel(InboxSecrets secrets, string objectName)
    {
        protected InboxSecrets Secrets => secrets;

        public HandshakeResult? Handshake(Inbox inbox, WebhookRequest request) => MetaWebhooks.Handshake(secrets, inbox, request);

        public WebhookVerification Verify(Inbox inbox, WebhookRequest request) => MetaWebhooks.Verify(secrets, inbox, request);

        public Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request) => AcceptJson(request, objectName);
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}
