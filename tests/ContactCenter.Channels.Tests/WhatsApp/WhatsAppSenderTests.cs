using System.Text.Json;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Channels.WhatsApp;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;

namespace ContactCenter.Channels.Tests.WhatsApp;

/// <summary>The WhatsApp sender against a local stand-in for the Graph API.</summary>
public sealed class WhatsAppSenderTests
{
    private static readonly ContactIdentity Customer = ContactIdentity.Create(IdentityKind.WhatsApp, "+14155550100");

    internal static ChannelKit Kit(ProviderStandIn graph) => new(new Dictionary<string, string?>
    {
        ["Channels:WhatsApp:BaseUrl"] = graph.BaseUrl + "v21.0/",
        ["S:WaToken"] = "EAAG-token",
    });

    private static Domain.Inboxes.Inbox Inbox() => ChannelKit.Inbox(ChannelKind.WhatsApp, ("phoneNumberId", "1122334455667"), ("accessTokenKey", "S:WaToken"));

    [Fact]
    public async Task SendAsync_WithinTheWindow_PostsTheDocumentedTextMessage()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200,
            """{"messaging_product":"whatsapp","contacts":[{"input":"14155550100","wa_id":"14155550100"}],"messages":[{"id":"wamid.SENT1"}]}"""));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Your parcel ships today.", TimeSpan.FromHours(2)), CancellationToken.None);

        Assert.Equal(("wamid.SENT1", true), (outcome.ProviderMessageId, outcome.Success));
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", "/v21.0/1122334455667/messages"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer EAAG-token", request.Headers["Authorization"]);
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550100","type":"text","text":{"preview_url":false,"body":"Your parcel ships today."}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(request.Body).RootElement));
    }

    [Fact]
    public async Task SendAsync_WithAttachments_UploadsEachToMediaThenSendsImageAndDocumentByIdWithTheTextAsCaption()
    {
        var uploads = 0;
        var sends = 0;
        await using var graph = await ProviderStandIn.StartAsync((r, c) => r.PathAndQuery.EndsWith("/media", StringComparison.Ordinal)
            ? ProviderStandIn.Json(c, 200, $$"""{"id":"MEDIA{{Interlocked.Increment(ref uploads)}}"}""")
            : ProviderStandIn.Json(c, 200, $$"""{"messaging_product":"whatsapp","messages":[{"id":"wamid.M{{Interlocked.Increment(ref sends)}}"}]}"""));
        using var kit = Kit(graph);
        var storage = kit.Get<Application.Files.IFileStorage>();
        await storage.SaveAsync("a_label.png", new MemoryStream("PNG-BYTES"u8.ToArray()), CancellationToken.None);
        await storage.SaveAsync("a_invoice.pdf", new MemoryStream("%PDF-BYTES"u8.ToArray()), CancellationToken.None);
        Domain.Conversations.Attachment[] files =
        [
            new("label.png", "image/png", 9, "a_label.png"),
            new("invoice 42.pdf", "application/pdf", 10, "a_invoice.pdf"),
        ];

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Your return label", TimeSpan.FromHours(2), attachments: files), CancellationToken.None);

        Assert.Equal(("wamid.M2", true), (outcome.ProviderMessageId, outcome.Success));
        var requests = graph.Requests;
        Assert.Equal(
            ["/v21.0/1122334455667/media", "/v21.0/1122334455667/messages", "/v21.0/1122334455667/media", "/v21.0/1122334455667/messages"],
            requests.Select(r => r.PathAndQuery));
        Assert.All(requests, r => Assert.Equal(("POST", "Bearer EAAG-token"), (r.Method, r.Headers["Authorization"])));
        Assert.Equal("multipart/form-data", requests[0].ContentType?.Split(';')[0]);
        Assert.Matches("name=messaging_product\\s+whatsapp\\s", requests[0].Body);
        Assert.Matches("name=type\\s+image/png\\s", requests[0].Body);
        Assert.Matches("Content-Type: image/png\\s+Content-Disposition: form-data; name=file; filename=label.png[^\\n]*\\s+PNG-BYTES", requests[0].Body);
        Assert.Matches("name=type\\s+application/pdf\\s", requests[2].Body);
        Assert.Contains("%PDF-BYTES", requests[2].Body, StringComparison.Ordinal);
        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550100","type":"image","image":{"id":"MEDIA1","caption":"Your return label"}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(requests[1].Body).RootElement));
        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550100","type":"document","document":{"id":"MEDIA2","filename":"invoice 42.pdf"}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(requests[3].Body).RootElement));
    }

    [Theory]
    [InlineData("image/jpeg", "image")]
    [InlineData("image/gif", "document")]
    [InlineData("image/webp", "document")]
    [InlineData("video/mp4", "video")]
    [InlineData("audio/ogg", "document")]
    public async Task SendAsync_Attachment_GoesAsTheCloudApiTypeThatAcceptsIt(string contentType, string expectedType)
    {
        await using var graph = await ProviderStandIn.StartAsync((r, c) => r.PathAndQuery.EndsWith("/media", StringComparison.Ordinal)
            ? ProviderStandIn.Json(c, 200, """{"id":"MEDIA1"}""")
            : ProviderStandIn.Json(c, 200, """{"messaging_product":"whatsapp","messages":[{"id":"wamid.M1"}]}"""));
        using var kit = Kit(graph);
        await kit.Get<Application.Files.IFileStorage>().SaveAsync("a_file", new MemoryStream("BYTES"u8.ToArray()), CancellationToken.None);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(
            kit.Delivery(Inbox(), Customer, "", TimeSpan.FromHours(2), attachments: [new("file", contentType, 5, "a_file")]), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Error);
        using var sent = JsonDocument.Parse(graph.Requests[1].Body);
        Assert.Equal(expectedType, sent.RootElement.GetProperty("type").GetString());
        Assert.Equal("MEDIA1", sent.RootElement.GetProperty(expectedType).GetProperty("id").GetString());
    }

    [Fact]
    public async Task SendAsync_OutsideThe24HourWindow_FailsPermanentlyWithoutCallingMeta()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, "{}"));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Hello again", TimeSpan.FromHours(25)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("24-hour", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("template", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task SendAsync_Provider4xx_FailsPermanentlyWithMetasReason()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 400,
            """{"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026,"error_data":{"messaging_product":"whatsapp","details":"Receiver is incapable of receiving this message"}}}"""));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromMinutes(5)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("131026", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Receiver is incapable of receiving this message", outcome.Error, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task SendAsync_Provider5xx_IsRetriedThenAReportedTransientFailure()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 503, """{"error":{"message":"Service temporarily unavailable","code":2}}"""));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromMinutes(5)), CancellationToken.None);

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Contains("Service temporarily unavailable", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(3, graph.Requests.Count); // 1 + Channels:Http:MaxRetries (2)
    }

    [Fact]
    public async Task SendAsync_ProviderTooSlow_TimesOutIsRetriedThenATransientFailure()
    {
        await using var graph = await ProviderStandIn.StartAsync(async (_, c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var kit = new ChannelKit(new Dictionary<string, string?>
        {
            ["Channels:WhatsApp:BaseUrl"] = graph.BaseUrl.ToString(),
            ["S:WaToken"] = "EAAG-token",
            ["Channels:Http:AttemptTimeout"] = "00:00:01",
        });

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromMinutes(5)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Contains("could not be reached", outcome.Error, StringComparison.Ordinal);

        // Each attempt is abandoned by the client at its timeout; the stand-in may record the last one a moment later.
        await Testing.Waits.UntilAsync(() => Task.FromResult(graph.Requests.Count == 3), "three attempts reached the stand-in");
    }
}

public sealed class ReplyWindowTests
{
    private static readonly DateTimeOffset Last = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ChannelKind.WhatsApp, true)]
    [InlineData(ChannelKind.Messenger, true)]
    [InlineData(ChannelKind.Sms, false)]
    [InlineData(ChannelKind.Telegram, false)]
    public void ClosesAt_MetaChannels_Is24HoursAfterTheCustomersLastMessage(ChannelKind channel, bool hasWindow)
    {
        var closes = Application.Conversations.Queries.ReplyWindow.ClosesAt(channel, [Last.AddHours(-5), Last]);

        Assert.Equal(hasWindow ? Last.AddHours(24) : null, closes);
    }
}
