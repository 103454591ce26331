using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.WeChat;

/// <summary>
/// A WeChat Official Account's server URL (GET/POST /webhooks/wechat/{inboxId}, plain-text mode). Inbox settings:
/// <c>appId</c>, <c>tokenKey</c> (the server token, for signatures), <c>appSecretKey</c> (access tokens for media and replies).
/// Every request carries signature = SHA1 of the sorted (token, timestamp, nonce); POSTs older than
/// <c>Channels:WeChat:MaxSignatureAge</c> (default 5 minutes) are refused as replays. Customers are known by their OpenID.
/// </summary>
public sealed class WeChatWebhookChannel(InboxSecrets secrets, WeChatApi api, IConfiguration configuration, TimeProvider time) : IWebhookChannel
{
    public const string TokenSetting = "tokenKey";

    public ChannelKind Channel => ChannelKind.WeChat;

    public string RouteName => "wechat";

    public HandshakeResult? Handshake(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verified = Verify(inbox, request, checkAge: false);
        return verified.Check == WebhookCheck.Ok && request.QueryValue("echostr") is { Length: > 0 } echo
            ? new HandshakeResult(200, echo)
            : new HandshakeResult(verified.Check == WebhookCheck.Missing ? 401 : 403, verified.Reason ?? "echostr is missing.");
    }

    public WebhookVerification Verify(Inbox inbox, WebhookRequest request) => Verify(inbox, request, checkAge: true);

    private WebhookVerification Verify(Inbox inbox, WebhookRequest request, bool checkAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = secrets.Get(inbox, TokenSetting);
        if (token is null)
        {
            return WebhookVerification.NotConfigured("The inbox has no WeChat token configured.");
        }

        var signature = request.QueryValue("signature");
        var timestamp = request.QueryValue("timestamp");
        var nonce = request.QueryValue("nonce");
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
        {
            return WebhookVerification.Missing("signature, timestamp and nonce are required.");
        }

        if (!InboxSecrets.FixedTimeEquals(Sign(token, timestamp, nonce), signature.ToLowerInvariant()))
        {
            return WebhookVerification.Invalid("The signature does not match.");
        }

        if (checkAge)
        {
            var maxAge = configuration.GetValue("Channels:WeChat:MaxSignatureAge", TimeSpan.FromMinutes(5));
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799))).Duration() > maxAge)
            {
                return WebhookVerification.Invalid("The timestamp is too old (a replayed request?).");
            }
        }

        return WebhookVerification.Ok;
    }

    /// <summary>Lower-case hex SHA1 of token, timestamp and nonce sorted ordinally and concatenated.</summary>
    public static string Sign(string token, string timestamp, string nonce)
    {
        var parts = new[] { token, timestamp, nonce };
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    public Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var xml = Parse(Encoding.UTF8.GetString(request.Body), out var problem);
        if (xml is null)
        {
            return Error.Validation("webhook.xml", $"The body is not valid WeChat XML: {problem}");
        }

        if (Field(xml, "FromUserName") is null || Field(xml, "MsgType") is null)
        {
            return Error.Validation("webhook.shape", "The XML is not a WeChat message (FromUserName and MsgType are required).");
        }

        var id = Field(xml, "MsgId") ?? $"{Field(xml, "FromUserName")}:{Field(xml, "CreateTime")}:{Field(xml, "Event")}";
        return new AcceptedWebhook(id, "success");
    }

    public async Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var xml = Parse(body, out _)!;
        var openId = Field(xml, "FromUserName")!;
        var type = Field(xml, "MsgType");
        var id = Field(xml, "MsgId");
        var attachments = new List<Attachment>();
        string text;
        switch (type)
        {
            case "text":
                text = Field(xml, "Content") ?? "";
                break;
            case "image":
                attachments.Add(await api.DownloadAsync(inbox, Field(xml, "PicUrl"), Field(xml, "MediaId"), "image/jpeg", cancellationToken));
                text = "";
                break;
            case "voice":
                attachments.Add(await api.DownloadAsync(inbox, null, Field(xml, "MediaId"), "audio/" + (Field(xml, "Format") ?? "amr").ToLowerInvariant(), cancellationToken));
                text = Field(xml, "Recognition") is { Length: > 0 } recognised ? $"(voice) {recognised}" : "";
                break;
            case "location":
                text = $"📍 {Field(xml, "Label")} ({Field(xml, "Location_X")}, {Field(xml, "Location_Y")})";
                break;
            case "link":
                text = $"{Field(xml, "Title")}\n{Field(xml, "Description")}\n{Field(xml, "Url")}".Trim();
                break;
            case "event":
                var kind = Field(xml, "Event");
                return WebhookContent.Nothing(kind switch
                {
                    "subscribe" => $"{openId} followed the account (not a message; their first message opens a conversation)",
                    "unsubscribe" => $"{openId} unfollowed the account (replies are no longer possible)",
                    _ => $"event \"{kind}\" is not a message",
                });
            default:
                return WebhookContent.Nothing($"{id}: message type \"{type}\" is not supported");
        }

        var inbound = new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.WeChat, openId), null, id, text, Attachments: attachments);
        return new WebhookContent([new WebhookMessage(inbound)], [], []);
    }

    private static XElement? Parse(string body, out string? problem)
    {
        problem = null;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1_000_000 };
            using var reader = XmlReader.Create(new StringReader(body), settings);
            var root = XDocument.Load(reader).Root;
            if (root?.Name.LocalName != "xml")
            {
                problem = "the root element must be <xml>";
                return null;
            }

            return root;
        }
        catch (XmlException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    private static string? Field(XElement xml, string name) => xml.Element(name)?.Value is { Length: > 0 } value ? value : null;
}

/// <summary>
/// The WeChat server API with the access token cached per app (GET {base}/cgi-bin/token, valid ~2 hours, refreshed 5
/// minutes early and at once when WeChat says it expired). Base URL <c>Channels:WeChat:BaseUrl</c>.
/// </summary>
public sealed class WeChatApi(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets, MediaDownloads downloads, TimeProvider time)
{
    public const string DefaultBaseUrl = "https://api.weixin.qq.com/";
    public const string AppSecretSetting = "appSecretKey";
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public HttpClient Client => clients.CreateClient(ChannelHttp.WeChat);

    public Uri BaseUrl => ChannelHttp.BaseUrl(configuration, "WeChat", DefaultBaseUrl);

    /// <summary>The cached token, fetched when missing or expiring; null with the reason when WeChat refuses.</summary>
    public async Task<(string? Token, string? Error, bool Permanent)> TokenAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        var appId = InboxSecrets.Setting(inbox, "appId");
        var secret = secrets.Get(inbox, AppSecretSetting);
        if (appId is null || secret is null)
        {
            return (null, "The WeChat inbox is not configured (settings appId and appSecretKey).", true);
        }

        if (_tokens.TryGetValue(appId, out var cached) && cached.Expires > time.GetUtcNow())
        {
            return (cached.Token, null, false);
        }

        var url = new Uri(BaseUrl, $"cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(appId)}&secret={Uri.EscapeDataString(secret)}");
        using var response = await Client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var doc = JsonDocument.Parse(body);
        if (MetaWebhooks.String(doc.RootElement, "access_token") is not { } token)
        {
            return (null, "WeChat refused the access token request: " + body, ErrCode(doc.RootElement) != -1);
        }

        var seconds = doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 7200;
        _tokens[appId] = (token, time.GetUtcNow().AddSeconds(Math.Max(60, seconds - 300)));
        return (token, null, false);
    }

    public void Forget(Inbox inbox)
    {
        if (InboxSecrets.Setting(inbox, "appId") is { } appId)
        {
            _tokens.TryRemove(appId, out _);
        }
    }

    public static int ErrCode(JsonElement root) => root.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var value) ? value : 0;

    /// <summary>A customer's picture (PicUrl, no auth) or other media (cgi-bin/media/get with the access token).</summary>
    public async Task<Attachment> DownloadAsync(Inbox inbox, string? directUrl, string? mediaId, string contentType, CancellationToken cancellationToken)
    {
        Uri url;
        if (directUrl is not null)
        {
            url = new Uri(directUrl);
        }
        else
        {
            var (token, error, _) = await TokenAsync(inbox, cancellationToken);
            url = token is null || mediaId is null
                ? throw new InvalidOperationException(error ?? "The WeChat media has no MediaId.")
                : new Uri(BaseUrl, $"cgi-bin/media/get?access_token={Uri.EscapeDataString(token)}&media_id={Uri.EscapeDataString(mediaId)}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await downloads.DownloadAsync(Client, request, inbox.Id, null, contentType, cancellationToken);
    }
}

/// <summary>
/// Replies through the customer-service message API: POST {base}/cgi-bin/message/custom/send?access_token=… with
/// {"touser":openid,"msgtype":"text","text":{"content":…}}. Pictures are first uploaded as temporary media
/// (POST cgi-bin/media/upload?access_token=…&amp;type=image, multipart field "media") and then sent as
/// {"msgtype":"image","image":{"media_id":…}}, after the text. The customer-service API has no message type for other
/// files (PDFs…), so a reply carrying one fails permanently before anything is sent, naming the file. WeChat answers HTTP
/// 200 with errcode; an expired or revoked token (40001, 40014, 42001) is refreshed and the call retried once; 45015 (the
/// 48-hour reply window passed) and other refusals are permanent, -1 (busy) transient.
/// </summary>
public sealed class WeChatSender(WeChatApi api, Application.Files.IFileStorage storage, ILogger<WeChatSender> logger) : IChannelSender
{
    /// <summary>Picture formats WeChat accepts as image messages.</summary>
    public static readonly IReadOnlySet<string> ImageTypes = new HashSet<string>(StringComparer.Ordinal) { "image/jpeg", "image/png", "image/gif" };

    public ChannelKind Channel => ChannelKind.WeChat;

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var attachments = delivery.Message.Attachments;
        if (attachments.FirstOrDefault(a => !ImageTypes.Contains(a.ContentType)) is { } unsupported)
        {
            return SendOutcome.Failed($"WeChat's customer-service messages can carry pictures (JPEG, PNG, GIF) but not {unsupported.FileName} ({unsupported.ContentType}).", permanent: true);
        }

        var touser = delivery.Recipient.Value;
        if (!string.IsNullOrWhiteSpace(delivery.Message.Text) || attachments.Count == 0)
        {
            var text = await CallAsync(delivery.Inbox, token => Send(token, new { touser, msgtype = "text", text = new { content = delivery.Message.Text } }), cancellationToken);
            if (text.Outcome is not null)
            {
                return text.Outcome;
            }
        }

        foreach (var attachment in attachments)
        {
            var (read, missing) = await OutboundFiles.ReadAsync(storage, attachment, cancellationToken);
            if (read is null)
            {
                return missing!;
            }

            byte[] bytes;
            using (read)
            {
                bytes = await read.ReadAsByteArrayAsync(cancellationToken);
            }

            var uploaded = await CallAsync(delivery.Inbox, token =>
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(attachment.ContentType);
                return new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseUrl, $"cgi-bin/media/upload?access_token={Uri.EscapeDataString(token)}&type=image"))
                {
                    Content = new MultipartFormDataContent { { file, "media", attachment.FileName } },
                };
            }, cancellationToken);
            if (uploaded.Outcome is not null)
            {
                return uploaded.Outcome;
            }

            if (uploaded.MediaId is not { } mediaId)
            {
                return SendOutcome.Failed($"WeChat accepted the upload of {attachment.FileName} without a media_id.");
            }

            var image = await CallAsync(delivery.Inbox, token => Send(token, new { touser, msgtype = "image", image = new { media_id = mediaId } }), cancellationToken);
            if (image.Outcome is not null)
            {
                return image.Outcome;
            }
        }

        return SendOutcome.Sent(null);
    }

    private HttpRequestMessage Send(string token, object body) =>
        new(HttpMethod.Post, new Uri(api.BaseUrl, $"cgi-bin/message/custom/send?access_token={Uri.EscapeDataString(token)}")) { Content = JsonContent.Create(body) };

    /// <summary>One API call with the cached access token (refreshed and retried once when WeChat says it expired): the media_id WeChat answered, or the failure.</summary>
    private async Task<(string? MediaId, SendOutcome? Outcome)> CallAsync(Inbox inbox, Func<string, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            (string? Token, string? Error, bool Permanent) token;
            try
            {
                token = await api.TokenAsync(inbox, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
                                           || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (null, SendOutcome.Failed("WeChat could not be reached for an access token: " + ex.Message));
            }

            if (token.Token is null)
            {
                return (null, SendOutcome.Failed(token.Error!, token.Permanent));
            }

            using var request = build(token.Token);
            var (answer, unreachable) = await ProviderCalls.SendAsync(api.Client, request, logger, "WeChat", cancellationToken);
            if (answer is null)
            {
                return (null, SendOutcome.Failed(unreachable!));
            }

            if (!answer.Success)
            {
                return (null, ProviderCalls.Failure("WeChat", answer));
            }

            int code;
            string? mediaId;
            try
            {
                using var doc = JsonDocument.Parse(answer.Body);
                code = WeChatApi.ErrCode(doc.RootElement);
                mediaId = MetaWebhooks.String(doc.RootElement, "media_id");
            }
            catch (JsonException)
            {
                return (null, SendOutcome.Failed("WeChat answered something that is not JSON: " + answer.Body));
            }

            switch (code)
            {
                case 0:
                    return (mediaId, null);
                case 40001 or 40014 or 42001 when attempt == 0:
                    api.Forget(inbox); // The cached token was revoked or expired early: fetch a new one and retry once.
                    continue;
                case -1:
                    return (null, SendOutcome.Failed("WeChat is busy: " + answer.Body));
                default:
                    return (null, SendOutcome.Failed("WeChat refused the message: " + answer.Body, permanent: true));
            }
        }
    }
}
