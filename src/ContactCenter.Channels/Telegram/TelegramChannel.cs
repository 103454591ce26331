using System.Globalization;
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
using Polly.CircuitBreaker;
using Polly.Timeout;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace ContactCenter.Channels.Telegram;

/// <summary>
/// A Telegram bot's webhook (POST /webhooks/telegram/{inboxId}; register it with setWebhook and a secret_token).
/// Inbox settings: <c>botName</c>, <c>secretTokenKey</c> (checked against X-Telegram-Bot-Api-Secret-Token),
/// <c>botTokenKey</c> (files and replies). Customers are known by their chat id. Text, photos (largest size), documents
/// and edited messages (stored as a new "(edited)" message) are handled.
/// </summary>
public sealed class TelegramWebhookChannel(InboxSecrets secrets, TelegramBots bots, MediaDownloads downloads) : IWebhookChannel
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const string SecretTokenSetting = "secretTokenKey";
    public const string BotTokenSetting = "botTokenKey";

    public ChannelKind Channel => ChannelKind.Telegram;

    public string RouteName => "telegram";

    public HandshakeResult? Handshake(Inbox inbox, WebhookRequest request) => null;

    public WebhookVerification Verify(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (secrets.SecretAndHeader(inbox, request, SecretTokenSetting, SecretHeader, out var problem) is not var (expected, given))
        {
            return problem!;
        }

        return InboxSecrets.FixedTimeEquals(expected, given) ? WebhookVerification.Ok : WebhookVerification.Invalid($"The {SecretHeader} header does not match.");
    }

    public Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var update = JsonSerializer.Deserialize<Update>(request.Body, JsonBotAPI.Options);
            return update is null || update.Id == 0
                ? Error.Validation("webhook.shape", "The body is not a Telegram Update (no update_id).")
                : new AcceptedWebhook(update.Id.ToString(CultureInfo.InvariantCulture));
        }
        catch (JsonException ex)
        {
            return Error.Validation("webhook.json", $"The body is not a valid Telegram Update: {ex.Message}");
        }
    }

    public async Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options)!;
        var edited = update.EditedMessage is not null;
        var message = update.Message ?? update.EditedMessage;
        if (message is null)
        {
            return WebhookContent.Nothing($"update {update.Id}: {update.Type} is not a message");
        }

        var attachments = new List<Attachment>();
        if (message.Photo is { Length: > 0 } photo)
        {
            var largest = photo.OrderByDescending(p => p.FileSize ?? (long)p.Width * p.Height).First();
            attachments.Add(await DownloadAsync(inbox, largest.FileId, null, "image/jpeg", cancellationToken));
        }

        if (message.Document is { } document)
        {
            attachments.Add(await DownloadAsync(inbox, document.FileId, document.FileName, document.MimeType, cancellationToken));
        }

        var text = message.Text ?? message.Caption ?? "";
        if (text.Length == 0 && attachments.Count == 0)
        {
            return WebhookContent.Nothing($"update {update.Id}: message {message.Id} has no text, photo or document ({message.Type})");
        }

        var chatId = message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        var externalId = $"{chatId}:{message.Id}";
        if (edited)
        {
            text = "(edited) " + text;
            externalId += ":edit:" + (message.EditDate?.Ticks ?? update.Id).ToString(CultureInfo.InvariantCulture);
        }

        var name = message.From is { } from ? $"{from.FirstName} {from.LastName}".Trim() : message.Chat.Title;
        var inbound = new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Telegram, chatId), name, externalId, text, Attachments: attachments);
        return new WebhookContent([new WebhookMessage(inbound)], [], []);
    }

    private async Task<Attachment> DownloadAsync(Inbox inbox, string fileId, string? fileName, string? contentType, CancellationToken cancellationToken)
    {
        var (bot, token, baseUrl, http) = bots.For(inbox) ?? throw new InvalidOperationException("The inbox has no Telegram bot token configured (setting botTokenKey).");
        var file = await bot.GetFile(fileId, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"file/bot{token}/{file.FilePath}"));
        return await downloads.DownloadAsync(http, request, inbox.Id, fileName ?? Path.GetFileName(file.FilePath), contentType, cancellationToken);
    }
}

/// <summary>Telegram.Bot clients per inbox bot token, on the resilient named HttpClient; base URL <c>Channels:Telegram:BaseUrl</c>.</summary>
public sealed class TelegramBots(IHttpClientFactory clients, IConfiguration configuration, InboxSecrets secrets)
{
    public const string DefaultBaseUrl = "https://api.telegram.org";

    public (TelegramBotClient Bot, string Token, Uri BaseUrl, HttpClient Http)? For(Inbox inbox)
    {
        var token = secrets.Get(inbox, TelegramWebhookChannel.BotTokenSetting);
        if (token is null)
        {
            return null;
        }

        var baseUrl = ChannelHttp.BaseUrl(configuration, "Telegram", DefaultBaseUrl);
        var http = clients.CreateClient(ChannelHttp.Telegram);
        return (new TelegramBotClient(new TelegramBotClientOptions(token, baseUrl.GetLeftPart(UriPartial.Authority)), http), token, baseUrl, http);
    }
}

/// <summary>
/// Replies with the Bot API's sendMessage to the customer's chat (texts over 4096 characters go as several messages).
/// Attachments go as sendPhoto (PNG, JPEG) or sendDocument (multipart uploads), the text as the first one's caption when it
/// fits (1024 characters), otherwise as messages before them.
/// </summary>
public sealed partial class TelegramSender(TelegramBots bots, Application.Files.IFileStorage storage, ILogger<TelegramSender> logger) : IChannelSender
{
    public const int MaxMessageLength = 4096;
    public const int MaxCaptionLength = 1024;

    public ChannelKind Channel => ChannelKind.Telegram;

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (bots.For(delivery.Inbox) is not var (bot, _, _, _))
        {
            return SendOutcome.Failed("The Telegram inbox is not configured (setting botTokenKey).", permanent: true);
        }

        if (!long.TryParse(delivery.Recipient.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            return SendOutcome.Failed($"\"{delivery.Recipient.Value}\" is not a Telegram chat id.", permanent: true);
        }

        try
        {
            string? firstId = null;
            var text = delivery.Message.Text;
            var attachments = delivery.Message.Attachments;
            var caption = attachments.Count > 0 && text.Length <= MaxCaptionLength && !string.IsNullOrWhiteSpace(text) ? text : null;
            if (caption is null && !string.IsNullOrWhiteSpace(text))
            {
                foreach (var part in TextParts.Split(text, MaxMessageLength))
                {
                    var sent = await bot.SendMessage(chatId, part, cancellationToken: cancellationToken);
                    firstId ??= $"{chatId}:{sent.Id}";
                }
            }

            foreach (var attachment in attachments)
            {
                await using var stream = await storage.OpenReadAsync(attachment.StorageKey, cancellationToken);
                if (stream is null)
                {
                    return SendOutcome.Failed($"The attached file {attachment.FileName} is no longer stored.", permanent: true);
                }

                var file = InputFile.FromStream(stream, attachment.FileName);
                var sent = attachment.ContentType is "image/png" or "image/jpeg"
                    ? await bot.SendPhoto(chatId, file, caption: caption, cancellationToken: cancellationToken)
                    : await bot.SendDocument(chatId, file, caption: caption, cancellationToken: cancellationToken);
                firstId ??= $"{chatId}:{sent.Id}";
                caption = null;
            }

            return SendOutcome.Sent(firstId);
        }
        catch (ApiRequestException ex)
        {
            var permanent = ex.ErrorCode is >= 400 and < 500 and not 408 and not 429;
            return SendOutcome.Failed($"Telegram refused the message: {ex.ErrorCode} {ex.Message}", permanent);
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, ex);
            return SendOutcome.Failed($"Telegram could not be reached: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram could not be reached.")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
