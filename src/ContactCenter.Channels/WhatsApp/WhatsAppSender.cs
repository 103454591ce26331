using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Conversations.Templates;
using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Channels.Messaging;
using ContactCenter.Domain.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static ContactCenter.Channels.Messaging.MetaWebhooks;

namespace ContactCenter.Channels.WhatsApp;

/// <summary>
/// Replies through the WhatsApp Cloud API: POST {graph}/{phoneNumberId}/messages with the inbox's access token,
/// a text message to the customer's number. Outside the 24-hour customer-service window only approved templates may be
/// sent: a template send (see <see cref="TemplateSends"/>) goes out as <c>type: "template"</c> whether the window is open
/// or not; free text outside the window fails at once with that reason instead of being refused by Meta. Attachments are
/// uploaded to {phoneNumberId}/media and sent one message each (image or document by the media id), the text as the
/// first one's caption.
/// </summary>
public sealed class WhatsAppSender(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets, TimeProvider time, WhatsAppTemplates templates, IFileStorage storage, ILogger<WhatsAppSender> logger) : IChannelSender
{
    public const string WindowClosed = "Outside WhatsApp's 24-hour customer service window: the customer last wrote more than 24 hours ago, so only an approved template message can be sent.";

    public ChannelKind Channel => ChannelKind.WhatsApp;

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var phoneNumberId = InboxSecrets.Setting(delivery.Inbox, WhatsAppWebhookChannel.PhoneNumberIdSetting);
        var token = secrets.Get(delivery.Inbox, AccessTokenSetting);
        if (phoneNumberId is null || token is null)
        {
            return SendOutcome.Failed("The WhatsApp inbox is not configured (settings phoneNumberId and accessTokenKey).", permanent: true);
        }

        var to = delivery.Recipient.Value.TrimStart('+');
        object body;
        if (TemplateSends.Parse(delivery.Message.ExternalId) is { } sent)
        {
            var template = TemplateSends.Find(templates.For(delivery.Inbox), sent.Language, sent.Name);
            var parameters = template?.Match(delivery.Message.Text);
            if (template is null || parameters is null)
            {
                return SendOutcome.Failed($"The template '{sent.Name}' ({sent.Language}) is no longer in this inbox's approved templates (setting templates).", permanent: true);
            }

            body = TemplateRequest(to, template, parameters);
        }
        else if (!WhatsAppWindow.IsOpen(delivery.Thread, time.GetUtcNow()))
        {
            return SendOutcome.Failed(WindowClosed, permanent: true);
        }
        else if (delivery.Message.Attachments.Count > 0)
        {
            return await SendMediaAsync(delivery, phoneNumberId, token, to, cancellationToken);
        }
        else
        {
            body = new
            {
                messaging_product = "whatsapp",
                recipient_type = "individual",
                to,
                type = "text",
                text = new { preview_url = false, body = delivery.Message.Text },
            };
        }

        var answer = await PostAsync(phoneNumberId, "messages", token, JsonContent.Create(body), cancellationToken);
        if (answer.Outcome is not null)
        {
            return answer.Outcome;
        }

        using var doc = answer.Answer!;
        return SendOutcome.Sent(Items(doc.RootElement, "messages").Select(m => String(m, "id")).FirstOrDefault());
    }

    /// <summary>Each attachment uploaded, then sent as an image or document message; the reply's text is the first one's caption.</summary>
    private async Task<SendOutcome> SendMediaAsync(OutboundDelivery delivery, string phoneNumberId, string token, string to, CancellationToken cancellationToken)
    {
        string? lastId = null;
        var caption = string.IsNullOrWhiteSpace(delivery.Message.Text) ? null : delivery.Message.Text;
        foreach (var attachment in delivery.Message.Attachments)
        {
            var (file, missing) = await OutboundFiles.ReadAsync(storage, attachment, cancellationToken);
            if (file is null)
            {
                return missing!;
            }

            var form = new MultipartFormDataContent
            {
                { new StringContent("whatsapp"), "messaging_product" },
                { new StringContent(attachment.ContentType), "type" },
                { file, "file", attachment.FileName },
            };
            var uploaded = await PostAsync(phoneNumberId, "media", token, form, cancellationToken);
            if (uploaded.Outcome is not null)
            {
                return uploaded.Outcome;
            }

            string? mediaId;
            using (var media = uploaded.Answer!)
            {
                mediaId = String(media.RootElement, "id");
            }

            // Cloud API media types: images only JPEG/PNG, videos MP4/3GPP; anything else (GIF, WebP, PDF…) goes as a document.
            object body = attachment.ContentType switch
            {
                "image/jpeg" or "image/png" => (object)new { messaging_product = "whatsapp", recipient_type = "individual", to, type = "image", image = new { id = mediaId, caption } },
                "video/mp4" or "video/3gpp" => new { messaging_product = "whatsapp", recipient_type = "individual", to, type = "video", video = new { id = mediaId, caption } },
                _ => new { messaging_product = "whatsapp", recipient_type = "individual", to, type = "document", document = new { id = mediaId, caption, filename = attachment.FileName } },
            };
            var sent = await PostAsync(phoneNumberId, "messages", token, JsonContent.Create(body, options: IgnoreNulls), cancellationToken);
            if (sent.Outcome is not null)
            {
                return sent.Outcome;
            }

            using (var doc = sent.Answer!)
            {
                lastId = Items(doc.RootElement, "messages").Select(m => String(m, "id")).FirstOrDefault();
            }

            caption = null;
        }

        return SendOutcome.Sent(lastId);
    }

    private static readonly JsonSerializerOptions IgnoreNulls = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>POST {graph}/{phoneNumberId}/{edge} with the access token: Meta's answer, or the failure to report.</summary>
    private async Task<(JsonDocument? Answer, SendOutcome? Outcome)> PostAsync(string phoneNumberId, string edge, string token, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ChannelHttp.BaseUrl(configuration, "WhatsApp", WhatsAppMedia.DefaultGraphUrl), $"{phoneNumberId}/{edge}"))
        {
            Content = content,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (answer, unreachable) = await ProviderCalls.SendAsync(clients.CreateClient(ChannelHttp.WhatsApp), request, logger, "WhatsApp", cancellationToken);
        if (answer is null)
        {
            return (null, SendOutcome.Failed(unreachable!));
        }

        return answer.Success ? (JsonDocument.Parse(answer.Body), null) : (null, ProviderCalls.Failure("WhatsApp", answer, MetaError(answer.Body)));
    }

    /// <summary>A Cloud API template message: name, language code and one text parameter per placeholder of the body.</summary>
    public static object TemplateRequest(string to, MessageTemplate template, IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        var components = parameters.Count == 0
            ? Array.Empty<object>()
            : [new { type = "body", parameters = parameters.Select(p => new { type = "text", text = p }).ToArray() }];
        return new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "template",
            template = new { name = template.Name, language = new { code = template.Language }, components },
        };
    }

    /// <summary>Meta's {"error":{"message","code","error_data":{"details"}}} as one line.</summary>
    public static string? MetaError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var error = Child(doc.RootElement, "error");
            var parts = new[] { String(error, "code"), String(error, "message"), String(Child(error, "error_data"), "details") }.Where(p => !string.IsNullOrEmpty(p)).ToList();
            return parts.Count == 0 ? null : string.Join(": ", parts);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>WhatsApp's customer-service window, for the sender and for the console's indicator.</summary>
public static class WhatsAppWindow
{
    public static bool IsOpen(IReadOnlyList<Domain.Conversations.Message> thread, DateTimeOffset now) =>
        ProviderCalls.LastCustomerMessageAt(thread) is { } last && now - last < ProviderCalls.CustomerServiceWindow;
}
