using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using Microsoft.Extensions.Configuration;
using static ContactCenter.Channels.Messaging.MetaWebhooks;

namespace ContactCenter.Channels.WhatsApp;

/// <summary>
/// WhatsApp Cloud API webhooks (POST /webhooks/whatsapp/{inboxId}). Inbox settings: <c>phoneNumberId</c> (changes for
/// other numbers of the business account are ignored), <c>appSecretKey</c>, <c>verifyTokenKey</c>, <c>accessTokenKey</c>
/// (media downloads and sending). Customers are known by their WhatsApp id and, the same number, their phone.
/// </summary>
public sealed class WhatsAppWebhookChannel(InboxSecrets secrets, WhatsAppMedia media) : MetaWebhooks.Channel(secrets, "whatsapp_business_account"), IWebhookChannel
{
    public const string PhoneNumberIdSetting = "phoneNumberId";

    public ChannelKind Channel => ChannelKind.WhatsApp;

    public string RouteName => "whatsapp";

    public async Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        using var doc = JsonDocument.Parse(body);
        var messages = new List<WebhookMessage>();
        var statuses = new List<WebhookStatusUpdate>();
        var ignored = new List<string>();
        var ownNumber = InboxSecrets.Setting(inbox, PhoneNumberIdSetting);
        foreach (var change in Items(doc.RootElement, "entry").SelectMany(e => Items(e, "changes")))
        {
            var field = String(change, "field");
            var value = Child(change, "value");
            if (field != "messages")
            {
                ignored.Add($"field \"{field}\": {IgnoredFields.GetValueOrDefault(field ?? "", "not a customer message or a delivery status")}");
                continue;
            }

            var phoneNumberId = String(Child(value, "metadata"), "phone_number_id");
            if (ownNumber is not null && phoneNumberId != ownNumber)
            {
                ignored.Add($"for phone number id {phoneNumberId}, not this inbox's {ownNumber}");
                continue;
            }

            var names = Items(value, "contacts")
                .Where(c => String(c, "wa_id") is not null)
                .GroupBy(c => String(c, "wa_id")!)
                .ToDictionary(g => g.Key, g => String(Child(g.First(), "profile"), "name"), StringComparer.Ordinal);
            foreach (var message in Items(value, "messages"))
            {
                var normalised = await MessageAsync(inbox, message, names, cancellationToken);
                if (normalised.Message is not null)
                {
                    messages.Add(normalised.Message);
                }
                else
                {
                    ignored.Add(normalised.Ignored!);
                }
            }

            foreach (var status in Items(value, "statuses"))
            {
                var update = Status(status);
                if (update.Update is not null)
                {
                    statuses.Add(update.Update);
                }
                else
                {
                    ignored.Add(update.Ignored!);
                }
            }
        }

        return new WebhookContent(messages, statuses, ignored);
    }

    private static readonly Dictionary<string, string> IgnoredFields = new(StringComparer.Ordinal)
    {
        ["account_update"] = "business account notice, nothing for agents",
        ["calls"] = "voice calls are not handled by the contact center",
        ["smb_message_echoes"] = "echo of a message sent from the WhatsApp Business app, not by us",
        ["user_preferences"] = "marketing preference change, not a message",
        ["message_template_status_update"] = "template review result",
        ["message_template_quality_update"] = "template quality notice",
        ["message_template_components_update"] = "template edit notice",
        ["template_category_update"] = "template category notice",
    };

    private static (WebhookStatusUpdate? Update, string? Ignored) Status(JsonElement status)
    {
        var id = String(status, "id");
        var state = String(status, "status");
        if (id is null)
        {
            return (null, "status without a message id");
        }

        if (String(status, "recipient_type") == "group")
        {
            return (null, $"{id}: one group participant's status (the contact center does not message groups)");
        }

        DeliveryStatus? mapped = state switch
        {
            "sent" => DeliveryStatus.Sent,
            "delivered" => DeliveryStatus.Delivered,
            "read" or "played" => DeliveryStatus.Read,
            "failed" => DeliveryStatus.Failed,
            _ => null,
        };
        if (mapped is null)
        {
            return (null, $"status \"{state}\" is not a delivery state");
        }

        string? error = null;
        if (mapped == DeliveryStatus.Failed)
        {
            var first = Items(status, "errors").FirstOrDefault();
            var details = String(Child(first, "error_data"), "details");
            error = string.Join(": ", new[] { String(first, "code"), String(first, "title") ?? String(first, "message"), details }.Where(s => !string.IsNullOrEmpty(s)));
            error = string.IsNullOrEmpty(error) ? "WhatsApp reported the message as failed." : error;
        }

        return (new WebhookStatusUpdate(id, mapped.Value, error), null);
    }

    private async Task<(WebhookMessage? Message, string? Ignored)> MessageAsync(Inbox inbox, JsonElement message, IReadOnlyDictionary<string, string?> names, CancellationToken cancellationToken)
    {
        var id = String(message, "id");
        var from = String(message, "from");
        var type = String(message, "type");
        if (id is null || from is null)
        {
            return (null, "message without an id or a sender");
        }

        var attachments = new List<Attachment>();
        string? text;
        switch (type)
        {
            case "text":
                text = String(Child(message, "text"), "body");
                if (Child(message, "referral") is { ValueKind: JsonValueKind.Object } referral)
                {
                    text += $"\n(from the ad \"{String(referral, "headline")}\": {String(referral, "source_url")})";
                }

                break;
            case "image" or "video" or "audio" or "document" or "sticker":
                var part = Child(message, type);
                attachments.Add(await media.DownloadAsync(inbox, String(part, "id")!, String(part, "filename"), String(part, "mime_type"), cancellationToken));
                text = String(part, "caption") ?? "";
                break;
            case "location":
                text = Location(Child(message, "location"));
                break;
            case "contacts":
                text = SharedContacts(message);
                break;
            case "reaction":
                var emoji = String(Child(message, "reaction"), "emoji");
                if (string.IsNullOrEmpty(emoji))
                {
                    return (null, $"{id}: a reaction was removed (nothing to show)");
                }

                text = $"Reacted {emoji} to a message";
                break;
            case "button":
                text = String(Child(message, "button"), "text") ?? String(Child(message, "button"), "payload");
                break;
            case "interactive":
                var interactive = Child(message, "interactive");
                var kind = String(interactive, "type");
                text = kind switch
                {
                    "button_reply" => String(Child(interactive, "button_reply"), "title"),
                    "list_reply" => ListReply(Child(interactive, "list_reply")),
                    "nfm_reply" => $"Completed the form \"{String(Child(interactive, "nfm_reply"), "name")}\": {String(Child(interactive, "nfm_reply"), "response_json")}",
                    _ => null,
                };
                if (text is null)
                {
                    return (null, kind switch
                    {
                        "call_permission_reply" => $"{id}: call permission reply (voice calls are not handled)",
                        null => $"{id}: interactive message without content (WhatsApp reported an error)",
                        _ => $"{id}: interactive \"{kind}\" is not supported",
                    });
                }

                break;
            case "order":
                text = Order(Child(message, "order"));
                break;
            case "unsupported":
                var unsupported = String(Child(message, "unsupported"), "type");
                text = $"[The customer sent a message WhatsApp cannot deliver to the API{(unsupported is null ? "" : $" ({unsupported})")}]";
                break;
            case "edit":
                var edited = Child(Child(message, "edit"), "message");
                var editedType = String(edited, "type");
                var editedPart = Child(edited, editedType ?? "");
                if (editedType is "image" or "video" or "document" && String(editedPart, "id") is { } editedMedia)
                {
                    attachments.Add(await media.DownloadAsync(inbox, editedMedia, String(editedPart, "filename"), String(editedPart, "mime_type"), cancellationToken));
                }

                text = "(edited) " + (String(editedPart, "caption") ?? String(editedPart, "body") ?? "");
                break;
            case "revoke":
                return (null, $"{id}: the customer deleted a message (the conversation keeps what was received)");
            case "system":
                return (null, $"{id}: system notice \"{String(Child(message, "system"), "type")}\" (number or identity change), not a customer message");
            default:
                return (null, $"{id}: message type \"{type}\" is not supported");
        }

        var sender = PhoneNumberFormat.Identity(IdentityKind.WhatsApp, from);
        var inbound = new InboundMessage(inbox.Id, sender, names.GetValueOrDefault(from), id, text ?? "", Attachments: attachments);
        return (new WebhookMessage(inbound, [new ContactIdentity(IdentityKind.Phone, sender.Value)]), null);
    }

    private static string Location(JsonElement location)
    {
        var lat = Child(location, "latitude").GetDouble().ToString(CultureInfo.InvariantCulture);
        var lon = Child(location, "longitude").GetDouble().ToString(CultureInfo.InvariantCulture);
        var label = string.Join(", ", new[] { String(location, "name"), String(location, "address") }.Where(s => !string.IsNullOrEmpty(s)));
        return $"📍 {(label.Length > 0 ? label + " " : "")}({lat}, {lon}) https://maps.google.com/?q={lat},{lon}";
    }

    private static string SharedContacts(JsonElement message)
    {
        var text = new StringBuilder("Shared contacts:");
        foreach (var contact in Items(message, "contacts"))
        {
            var name = String(Child(contact, "name"), "formatted_name") ?? String(Child(contact, "name"), "first_name") ?? "?";
            var phones = string.Join(", ", Items(contact, "phones").Select(p => String(p, "phone")).Where(p => p is not null));
            text.Append(CultureInfo.InvariantCulture, $"\n• {name}{(phones.Length > 0 ? " " + phones : "")}");
        }

        return text.ToString();
    }

    private static string ListReply(JsonElement reply) =>
        String(reply, "description") is { Length: > 0 } description ? $"{String(reply, "title")} — {description}" : String(reply, "title") ?? "";

    private static string Order(JsonElement order)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Order (catalog {String(order, "catalog_id")}):");
        foreach (var item in Items(order, "product_items"))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n• {String(item, "quantity")} × {String(item, "product_retailer_id")} at {String(item, "item_price")} {String(item, "currency")}");
        }

        if (String(order, "text") is { Length: > 0 } note)
        {
            text.Append('\n').Append(note);
        }

        return text.ToString();
    }
}

/// <summary>
/// Media a WhatsApp customer sent: GET {graph}/{media-id} (Bearer access token) gives a short-lived URL, which is then
/// downloaded with the same token and stored (see <see cref="MediaDownloads"/>).
/// </summary>
public sealed class WhatsAppMedia(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets, MediaDownloads downloads)
{
    public const string DefaultGraphUrl = "https://graph.facebook.com/v21.0/";

    public async Task<Attachment> DownloadAsync(Inbox inbox, string mediaId, string? fileName, string? mimeType, CancellationToken cancellationToken)
    {
        var token = secrets.Get(inbox, AccessTokenSetting) ?? throw new InvalidOperationException("The inbox has no WhatsApp access token configured (setting accessTokenKey).");
        var client = clients.CreateClient(ChannelHttp.WhatsApp);
        var baseUrl = ChannelHttp.BaseUrl(configuration, "WhatsApp", DefaultGraphUrl);
        using var lookup = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, Uri.EscapeDataString(mediaId)));
        lookup.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(lookup, cancellationToken);
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"WhatsApp media {mediaId}: {ChannelHttp.Describe((int)response.StatusCode, json)}", null, response.StatusCode);
        }

        using var doc = JsonDocument.Parse(json);
        var url = String(doc.RootElement, "url") ?? throw new InvalidDataException($"WhatsApp media {mediaId} has no URL.");
        using var download = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        download.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await downloads.DownloadAsync(client, download, inbox.Id, fileName, mimeType ?? String(doc.RootElement, "mime_type"), cancellationToken);
    }
}
