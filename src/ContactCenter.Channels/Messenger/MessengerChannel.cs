using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
using static ContactCenter.Channels.Messaging.MetaWebhooks;

namespace ContactCenter.Channels.Messenger;

/// <summary>
/// Facebook Messenger webhooks (POST /webhooks/messenger/{inboxId}, object "page"). Inbox settings: <c>pageId</c>,
/// <c>appSecretKey</c>, <c>verifyTokenKey</c>, <c>accessTokenKey</c> (page access token). Customers are known by their
/// page-scoped id (PSID). Messages (text, attachments, quick replies), postbacks and delivery receipts are handled;
/// echoes of our own sends and read watermarks are ignored.
/// </summary>
public sealed class MessengerWebhookChannel(InboxSecrets secrets, IHttpClientFactory clients, MediaDownloads downloads) : MetaWebhooks.Channel(secrets, "page"), IWebhookChannel
{
    public const string PageIdSetting = "pageId";

    public ChannelKind Channel => ChannelKind.Messenger;

    public string RouteName => "messenger";

    public async Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        using var doc = JsonDocument.Parse(body);
        var messages = new List<WebhookMessage>();
        var statuses = new List<WebhookStatusUpdate>();
        var ignored = new List<string>();
        var pageId = InboxSecrets.Setting(inbox, PageIdSetting);
        foreach (var entry in Items(doc.RootElement, "entry"))
        {
            if (pageId is not null && String(entry, "id") != pageId)
            {
                ignored.Add($"for page {String(entry, "id")}, not this inbox's {pageId}");
                continue;
            }

            foreach (var item in Items(entry, "messaging"))
            {
                var psid = String(Child(item, "sender"), "id");
                if (Child(item, "delivery") is { ValueKind: JsonValueKind.Object } delivery)
                {
                    statuses.AddRange(Items(delivery, "mids").Select(m => m.GetString()).OfType<string>().Select(mid => new WebhookStatusUpdate(mid, DeliveryStatus.Delivered)));
                }
                else if (Child(item, "message") is { ValueKind: JsonValueKind.Object } message)
                {
                    if (Child(message, "is_echo").ValueKind == JsonValueKind.True)
                    {
                        ignored.Add($"{String(message, "mid")}: echo of a page message");
                        continue;
                    }

                    var attachments = new List<Attachment>();
                    foreach (var attachment in Items(message, "attachments"))
                    {
                        var url = String(Child(attachment, "payload"), "url");
                        if (url is not null && String(attachment, "type") is "image" or "video" or "audio" or "file")
                        {
                            using var download = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
                            attachments.Add(await downloads.DownloadAsync(clients.CreateClient(ChannelHttp.Messenger), download, inbox.Id, null, null, cancellationToken));
                        }
                    }

                    var text = String(message, "text") ?? "";
                    if (psid is null || (text.Length == 0 && attachments.Count == 0))
                    {
                        ignored.Add($"{String(message, "mid")}: nothing to show (no text, no supported attachment)");
                        continue;
                    }

                    messages.Add(new WebhookMessage(new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Messenger, psid), null, String(message, "mid"), text, Attachments: attachments)));
                }
                else if (Child(item, "postback") is { ValueKind: JsonValueKind.Object } postback && psid is not null)
                {
                    var id = String(postback, "mid") ?? $"postback:{psid}:{String(item, "timestamp")}";
                    messages.Add(new WebhookMessage(new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Messenger, psid), null, id, String(postback, "title") ?? String(postback, "payload") ?? "")));
                }
                else
                {
                    ignored.Add(Child(item, "read").ValueKind == JsonValueKind.Object
                        ? "read watermark (Messenger reports reads by time, not per message)"
                        : "messaging event that is not a message, postback or delivery");
                }
            }
        }

        return new WebhookContent(messages, statuses, ignored);
    }
}

/// <summary>
/// Replies through the Send API: POST {graph}/{pageId}/messages (Bearer page access token) with
/// {"recipient":{"id":psid},"messaging_type":"RESPONSE","message":{"text":…}}; only within 24 hours of the customer's last message.
/// Attachments are uploaded with the send itself (multipart: recipient, messaging_type, message =
/// {"attachment":{"type":"image|audio|video|file","payload":{"is_reusable":false}}}, filedata = the file), one message per
/// file after the text (Messenger attachments carry no caption). The first message's id is the one delivery receipts report.
/// </summary>
public sealed class MessengerSender(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets, TimeProvider time, Application.Files.IFileStorage storage, ILogger<MessengerSender> logger) : IChannelSender
{
    public const string WindowClosed = "Outside Messenger's 24-hour standard messaging window: the customer last wrote more than 24 hours ago.";

    public ChannelKind Channel => ChannelKind.Messenger;

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var pageId = InboxSecrets.Setting(delivery.Inbox, MessengerWebhookChannel.PageIdSetting);
        var token = secrets.Get(delivery.Inbox, AccessTokenSetting);
        if (pageId is null || token is null)
        {
            return SendOutcome.Failed("The Messenger inbox is not configured (settings pageId and accessTokenKey).", permanent: true);
        }

        if (ProviderCalls.LastCustomerMessageAt(delivery.Thread) is not { } last || time.GetUtcNow() - last >= ProviderCalls.CustomerServiceWindow)
        {
            return SendOutcome.Failed(WindowClosed, permanent: true);
        }

        string? firstId = null;
        if (!string.IsNullOrWhiteSpace(delivery.Message.Text) || delivery.Message.Attachments.Count == 0)
        {
            var body = new
            {
                recipient = new { id = delivery.Recipient.Value },
                messaging_type = "RESPONSE",
                message = new { text = delivery.Message.Text },
            };
            var sent = await PostAsync(pageId, token, JsonContent.Create(body), cancellationToken);
            if (sent.Outcome is not null)
            {
                return sent.Outcome;
            }

            firstId = sent.MessageId;
        }

        foreach (var attachment in delivery.Message.Attachments)
        {
            var (file, missing) = await OutboundFiles.ReadAsync(storage, attachment, cancellationToken);
            if (file is null)
            {
                return missing!;
            }

            var message = JsonSerializer.Serialize(new { attachment = new { type = AttachmentType(attachment.ContentType), payload = new { is_reusable = false } } });
            var form = new MultipartFormDataContent
            {
                { new StringContent(JsonSerializer.Serialize(new { id = delivery.Recipient.Value })), "recipient" },
                { new StringContent("RESPONSE"), "messaging_type" },
                { new StringContent(message), "message" },
                { file, "filedata", attachment.FileName },
            };
            var sent = await PostAsync(pageId, token, form, cancellationToken);
            if (sent.Outcome is not null)
            {
                return sent.Outcome;
            }

            firstId ??= sent.MessageId;
        }

        return SendOutcome.Sent(firstId);
    }

    /// <summary>The Send API's attachment type for a file: image, audio, video, or file for anything else.</summary>
    public static string AttachmentType(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        return contentType.Split('/')[0] switch
        {
            "image" => "image",
            "audio" => "audio",
            "video" => "video",
            _ => "file",
        };
    }

    private async Task<(string? MessageId, SendOutcome? Outcome)> PostAsync(string pageId, string token, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ChannelHttp.BaseUrl(configuration, "Messenger", WhatsApp.WhatsAppMedia.DefaultGraphUrl), $"{pageId}/messages"))
        {
            Content = content,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (answer, unreachable) = await ProviderCalls.SendAsync(clients.CreateClient(ChannelHttp.Messenger), request, logger, "Messenger", cancellationToken);
        if (answer is null)
        {
            return (null, SendOutcome.Failed(unreachable!));
        }

        if (!answer.Success)
        {
            return (null, ProviderCalls.Failure("Messenger", answer, WhatsApp.WhatsAppSender.MetaError(answer.Body)));
        }

        try
        {
            using var doc = JsonDocument.Parse(answer.Body);
            return (String(doc.RootElement, "message_id"), null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
