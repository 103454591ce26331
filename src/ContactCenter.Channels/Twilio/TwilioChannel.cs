using System.Collections.Specialized;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Twilio.Security;

namespace ContactCenter.Channels.Twilio;

/// <summary>
/// SMS/MMS through Twilio (POST /webhooks/twilio/{inboxId} as the number's "A message comes in" URL and as the status
/// callback). Inbox settings: <c>accountSid</c>, <c>fromNumber</c> (or <c>messagingServiceSid</c>), <c>authTokenKey</c>,
/// <c>webhookUrl</c> (the exact public URL configured at Twilio, needed behind proxies: the signature covers it),
/// <c>statusCallbackUrl</c> (optional, sent with replies) and <c>defaultRegion</c> (for national numbers).
/// Customers are known by their phone in E.164, and by the same number on WhatsApp.
/// </summary>
public sealed class TwilioWebhookChannel(InboxSecrets secrets, IHttpClientFactory clients, MediaDownloads downloads) : IWebhookChannel
{
    public const string SignatureHeader = "X-Twilio-Signature";
    public const string AuthTokenSetting = "authTokenKey";
    public const string AccountSidSetting = "accountSid";
    public const string WebhookUrlSetting = "webhookUrl";
    public const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public ChannelKind Channel => ChannelKind.Sms;

    public string RouteName => "twilio";

    public HandshakeResult? Handshake(Inbox inbox, WebhookRequest request) => null;

    public WebhookVerification Verify(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(request);
        if (secrets.SecretAndHeader(inbox, request, AuthTokenSetting, SignatureHeader, out var problem) is not var (token, signature))
        {
            return problem!;
        }

        // The signature covers the URL exactly as configured at Twilio (scheme, host, path, query) plus the sorted form fields.
        var url = InboxSecrets.Setting(inbox, WebhookUrlSetting) ?? request.Url.ToString();
        if (request.Url.Query.Length > 1 && !url.Contains('?', StringComparison.Ordinal))
        {
            url += request.Url.Query;
        }

        return new RequestValidator(token).Validate(url, Form(request.Body), signature)
            ? WebhookVerification.Ok
            : WebhookVerification.Invalid($"The {SignatureHeader} signature does not match the URL and parameters.");
    }

    public Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("webhook.content_type", "Twilio webhooks are form-encoded (application/x-www-form-urlencoded).");
        }

        var form = Form(request.Body);
        var sid = form["MessageSid"] ?? form["SmsSid"];
        if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(form["From"]))
        {
            return Error.Validation("webhook.shape", "The form is not a Twilio message webhook (MessageSid and From are required).");
        }

        var status = Status(form);
        return new AcceptedWebhook(status is null ? sid : $"{sid}:{status}", EmptyTwiml, "text/xml");
    }

    public async Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var form = Form(Encoding.UTF8.GetBytes(body));
        var sid = form["MessageSid"] ?? form["SmsSid"]!;
        var status = Status(form);
        if (status is not null)
        {
            DeliveryStatus? mapped = status switch
            {
                "sent" => DeliveryStatus.Sent,
                "delivered" => DeliveryStatus.Delivered,
                "read" => DeliveryStatus.Read,
                "undelivered" or "failed" => DeliveryStatus.Failed,
                _ => null,
            };
            if (mapped is null)
            {
                return WebhookContent.Nothing($"{sid}: status \"{status}\" is an intermediate state");
            }

            var error = mapped == DeliveryStatus.Failed
                ? $"Twilio: {status}{(form["ErrorCode"] is { Length: > 0 } code ? $" (error {code}{(form["ErrorMessage"] is { Length: > 0 } m ? ": " + m : "")})" : "")}"
                : null;
            return new WebhookContent([], [new WebhookStatusUpdate(sid, mapped.Value, error)], []);
        }

        var attachments = new List<Attachment>();
        _ = int.TryParse(form["NumMedia"], out var count);
        for (var i = 0; i < Math.Min(count, 10); i++)
        {
            if (form[$"MediaUrl{i}"] is { Length: > 0 } url)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
                if (InboxSecrets.Setting(inbox, AccountSidSetting) is { } account && secrets.Get(inbox, AuthTokenSetting) is { } token)
                {
                    request.Headers.Authorization = TwilioSender.Basic(account, token);
                }

                attachments.Add(await downloads.DownloadAsync(clients.CreateClient(ChannelHttp.Twilio), request, inbox.Id, null, form[$"MediaContentType{i}"], cancellationToken));
            }
        }

        var region = InboxSecrets.Setting(inbox, "defaultRegion");
        var from = form["From"]!;
        var isWhatsApp = from.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase);
        var sender = PhoneNumberFormat.Identity(IdentityKind.Phone, from, region);
        var same = new ContactIdentity(IdentityKind.WhatsApp, sender.Value);
        var inbound = new InboundMessage(inbox.Id, sender, form["ProfileName"], sid, form["Body"] ?? "", Attachments: attachments);
        return new WebhookContent([new WebhookMessage(inbound, [same])], [], isWhatsApp ? ["sent through Twilio's WhatsApp sender, kept on this SMS inbox"] : []);
    }

    /// <summary>Twilio's delivery state of a status callback; null for an incoming message.</summary>
    private static string? Status(NameValueCollection form)
    {
        var status = form["MessageStatus"] ?? form["SmsStatus"];
        return status is null or "received" or "receiving" ? null : status;
    }

    public static NameValueCollection Form(byte[] body)
    {
        var form = new NameValueCollection(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            foreach (var value in values)
            {
                form.Add(key, value);
            }
        }

        return form;
    }
}

/// <summary>
/// Replies by SMS: POST {base}/2010-04-01/Accounts/{sid}/Messages.json (Basic auth account SID and auth token) with
/// To, From (or MessagingServiceSid), Body. Twilio segments up to 1,600 characters itself; longer replies go as several
/// messages. Replies with files are refused (<see cref="MmsNotSupported"/>).
/// </summary>
public sealed class TwilioSender(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets, ILogger<TwilioSender> logger) : IChannelSender
{
    public const string DefaultBaseUrl = "https://api.twilio.com/";
    public const int MaxBodyLength = 1600;

    /// <summary>
    /// Twilio sends MMS by fetching each MediaUrl from the public internet; agents' files are private (staff or the
    /// conversation's visitor only), so rather than drop the files silently a reply carrying them fails before anything is sent.
    /// </summary>
    public const string MmsNotSupported = "Files cannot be sent by SMS from this inbox: Twilio MMS needs a public URL for each file and agents' files are not published. Send the text alone.";

    public ChannelKind Channel => ChannelKind.Sms;

    public static AuthenticationHeaderValue Basic(string accountSid, string authToken) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var inbox = delivery.Inbox;
        var account = InboxSecrets.Setting(inbox, TwilioWebhookChannel.AccountSidSetting);
        var token = secrets.Get(inbox, TwilioWebhookChannel.AuthTokenSetting);
        var from = InboxSecrets.Setting(inbox, "fromNumber");
        var service = InboxSecrets.Setting(inbox, "messagingServiceSid");
        if (account is null || token is null || (from is null && service is null))
        {
            return SendOutcome.Failed("The Twilio inbox is not configured (settings accountSid, authTokenKey and fromNumber or messagingServiceSid).", permanent: true);
        }

        if (delivery.Message.Attachments.Count > 0)
        {
            return SendOutcome.Failed(MmsNotSupported, permanent: true);
        }

        var url = new Uri(ChannelHttp.BaseUrl(configuration, "Twilio", DefaultBaseUrl), $"2010-04-01/Accounts/{Uri.EscapeDataString(account)}/Messages.json");
        string? firstSid = null;
        foreach (var part in TextParts.Split(delivery.Message.Text, MaxBodyLength))
        {
            var fields = new List<KeyValuePair<string, string>> { new("To", delivery.Recipient.Value), new("Body", part) };
            fields.Add(service is not null ? new("MessagingServiceSid", service) : new("From", from!));
            if (InboxSecrets.Setting(inbox, "statusCallbackUrl") is { } callback)
            {
                fields.Add(new("StatusCallback", callback));
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Authorization = Basic(account, token);
            var (answer, unreachable) = await ProviderCalls.SendAsync(clients.CreateClient(ChannelHttp.Twilio), request, logger, "Twilio", cancellationToken);
            if (answer is null)
            {
                return SendOutcome.Failed(unreachable!);
            }

            if (!answer.Success)
            {
                return ProviderCalls.Failure("Twilio", answer, TwilioError(answer.Body));
            }

            using var doc = JsonDocument.Parse(answer.Body);
            firstSid ??= MetaWebhooks.String(doc.RootElement, "sid");
        }

        return SendOutcome.Sent(firstSid);
    }

    private static string? TwilioError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return MetaWebhooks.String(doc.RootElement, "message") is { } message ? $"{MetaWebhooks.String(doc.RootElement, "code")}: {message}" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
