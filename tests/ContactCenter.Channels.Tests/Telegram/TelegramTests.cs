using System.Text;
using System.Text.Json;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;

namespace ContactCenter.Channels.Tests.Telegram;

/// <summary>Telegram: the webhook secret header, Update parsing (text, photo, document, edits) and sendMessage against a stand-in Bot API.</summary>
public sealed class TelegramTests
{
    private const string BotToken = "123456:ABC-DEF";

    private static ChannelKit Kit(ProviderStandIn? api = null) => new(new Dictionary<string, string?>
    {
        ["Channels:Telegram:BaseUrl"] = api?.BaseUrl.ToString() ?? "http://127.0.0.1:9/",
        ["S:TgBot"] = BotToken,
        ["S:TgSecret"] = "tg-secret",
    });

    private static Domain.Inboxes.Inbox Inbox() => ChannelKit.Inbox(ChannelKind.Telegram, ("botTokenKey", "S:TgBot"), ("secretTokenKey", "S:TgSecret"));

    [Theory]
    [InlineData(null, Application.Webhooks.WebhookCheck.Missing)]
    [InlineData("tg-secreT", Application.Webhooks.WebhookCheck.Invalid)]
    [InlineData("tg-secret", Application.Webhooks.WebhookCheck.Ok)]
    public void Verify_SecretTokenHeader_IsCompared(string? header, Application.Webhooks.WebhookCheck expected)
    {
        using var kit = Kit();
        var headers = header is null ? [] : new[] { ("X-Telegram-Bot-Api-Secret-Token", header) };

        Assert.Equal(expected, kit.Webhook(ChannelKind.Telegram).Verify(Inbox(), ChannelKit.Request("https://cc.test/w", "{}"u8.ToArray(), "application/json", headers)).Check);
    }

    [Theory]
    [InlineData("{\"update_id\":")]
    [InlineData("{\"message\":{\"message_id\":1}}")]
    public void Accept_MalformedUpdate_IsAValidationError(string body)
    {
        using var kit = Kit();

        Assert.False(kit.Webhook(ChannelKind.Telegram).Accept(Inbox(), ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(body))).IsSuccess);
    }

    [Fact]
    public async Task NormaliseAsync_PhotoWithCaption_DownloadsTheLargestSize()
    {
        await using var api = await ProviderStandIn.StartAsync((request, c) => request.PathAndQuery switch
        {
            var p when p.StartsWith($"/bot{BotToken}/getFile", StringComparison.Ordinal) =>
                ProviderStandIn.Json(c, 200, """{"ok":true,"result":{"file_id":"BIG","file_unique_id":"u","file_size":4,"file_path":"photos/file_1.jpg"}}"""),
            $"/file/bot{BotToken}/photos/file_1.jpg" => c.Response.Body.WriteAsync("JPEG"u8.ToArray()).AsTask(),
            _ => ProviderStandIn.Json(c, 404, """{"ok":false,"error_code":404,"description":"Not Found"}"""),
        });
        using var kit = Kit(api);
        const string update = """
            {"update_id":5,"message":{"message_id":9,"date":1700000000,"chat":{"id":77,"type":"private"},"from":{"id":77,"is_bot":false,"first_name":"Li"},
             "caption":"Broken on arrival","photo":[{"file_id":"SMALL","file_unique_id":"s","width":90,"height":90,"file_size":1},{"file_id":"BIG","file_unique_id":"b","width":1280,"height":960,"file_size":4}]}}
            """;

        var content = await kit.Webhook(ChannelKind.Telegram).NormaliseAsync(Inbox(), "application/json", update, CancellationToken.None);

        var message = Assert.Single(content.Messages).Message;
        Assert.Equal(("Broken on arrival", "77:9"), (message.Text, message.ExternalId));
        var attachment = Assert.Single(message.Attachments!);
        Assert.Equal(4, attachment.SizeBytes);
        Assert.Contains(api.Requests, r => r.Body.Contains("BIG", StringComparison.Ordinal) || r.PathAndQuery.Contains("BIG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NormaliseAsync_EditedMessage_IsANewMarkedMessageWithItsOwnId()
    {
        using var kit = Kit();
        const string update = """
            {"update_id":6,"edited_message":{"message_id":9,"date":1700000000,"edit_date":1700000100,"chat":{"id":77,"type":"private"},"from":{"id":77,"is_bot":false,"first_name":"Li"},"text":"Order 1234, not 1243"}}
            """;

        var content = await kit.Webhook(ChannelKind.Telegram).NormaliseAsync(Inbox(), "application/json", update, CancellationToken.None);

        var message = Assert.Single(content.Messages).Message;
        Assert.Equal("(edited) Order 1234, not 1243", message.Text);
        Assert.StartsWith("77:9:edit:", message.ExternalId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Reply_CallsSendMessageWithTheChatAndText()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200,
            """{"ok":true,"result":{"message_id":501,"date":1700000200,"chat":{"id":77,"type":"private"},"text":"We'll replace it."}}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Telegram).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Telegram, "77"), "We'll replace it.", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((true, "77:501"), (outcome.Success, outcome.ProviderMessageId));
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", $"/bot{BotToken}/sendMessage"), (request.Method, request.PathAndQuery));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal((77L, "We'll replace it."), (body.RootElement.GetProperty("chat_id").GetInt64(), body.RootElement.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task SendAsync_WithAttachments_SendPhotoAndSendDocumentMultipart_TextAsFirstCaption()
    {
        var id = 600;
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200,
            """{"ok":true,"result":{"message_id":""" + Interlocked.Increment(ref id).ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","date":1700000200,"chat":{"id":77,"type":"private"}}}"""));
        using var kit = Kit(api);
        var storage = kit.Get<Application.Files.IFileStorage>();
        await storage.SaveAsync("a_label.png", new MemoryStream("PNG-BYTES"u8.ToArray()), CancellationToken.None);
        await storage.SaveAsync("a_invoice.pdf", new MemoryStream("%PDF-BYTES"u8.ToArray()), CancellationToken.None);
        Domain.Conversations.Attachment[] files = [new("label.png", "image/png", 9, "a_label.png"), new("invoice.pdf", "application/pdf", 10, "a_invoice.pdf")];

        var outcome = await kit.Sender(ChannelKind.Telegram).SendAsync(
            kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Telegram, "77"), "Your label and invoice", TimeSpan.FromHours(1), attachments: files), CancellationToken.None);

        Assert.Equal((true, "77:601"), (outcome.Success, outcome.ProviderMessageId));
        var requests = api.Requests;
        Assert.Equal([$"/bot{BotToken}/sendPhoto", $"/bot{BotToken}/sendDocument"], requests.Select(r => r.PathAndQuery));
        Assert.All(requests, r => Assert.Equal(("POST", "multipart/form-data"), (r.Method, r.ContentType?.Split(';')[0])));
        Assert.Matches("name=\"?chat_id\"?\\s+77\\s", requests[0].Body);
        Assert.Matches("name=\"?caption\"?\\s+Your label and invoice\\s", requests[0].Body);
        // The file travels as its own part, referenced by attach://<part name> (Bot API "Sending files").
        Assert.Matches("name=\"?photo\"?\\s+attach://0\\s", requests[0].Body);
        Assert.Matches("name=\"?0\"?; filename=\"?label.png\"?\\s+PNG-BYTES\\s", requests[0].Body);
        Assert.Matches("name=\"?document\"?\\s+attach://0\\s", requests[1].Body);
        Assert.Matches("name=\"?0\"?; filename=\"?invoice.pdf\"?\\s+%PDF-BYTES\\s", requests[1].Body);
        Assert.DoesNotContain("caption", requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BotBlocked403_FailsPermanentlyWithTelegramsReason()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 403, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Telegram).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Telegram, "77"), "Hello", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("bot was blocked by the user", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Telegram5xx_IsRetriedThenTransient()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 502, """{"ok":false,"error_code":502,"description":"Bad Gateway"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Telegram).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Telegram, "77"), "Hello", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Equal(3, api.Requests.Count);
    }
}
