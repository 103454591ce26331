using System.Text.Json;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Channels.Tests.Messenger;

/// <summary>Messenger: the shared Meta signature, page webhook parsing, and the Send API against a stand-in Graph.</summary>
public sealed class MessengerTests
{
    private static ChannelKit Kit(ProviderStandIn? graph = null) => new(new Dictionary<string, string?>
    {
        ["Channels:Messenger:BaseUrl"] = graph?.BaseUrl + "v21.0/",
        ["S:PageToken"] = "page-token",
        ["S:Secret"] = "page-app-secret",
    });

    private static Domain.Inboxes.Inbox Inbox() => ChannelKit.Inbox(ChannelKind.Messenger, ("pageId", "PAGE1"), ("accessTokenKey", "S:PageToken"), ("appSecretKey", "S:Secret"));

    [Fact]
    public void Verify_PageWebhookSignedWithTheAppSecret_IsOk_TamperedIsInvalid()
    {
        using var kit = Kit();
        var body = """{"object":"page","entry":[]}"""u8.ToArray();
        var signature = MetaWebhooks.Sign("page-app-secret", body);

        var ok = kit.Webhook(ChannelKind.Messenger).Verify(Inbox(), ChannelKit.Request("https://cc.test/w", body, "application/json", ("X-Hub-Signature-256", signature)));
        var tampered = kit.Webhook(ChannelKind.Messenger).Verify(Inbox(), ChannelKit.Request("https://cc.test/w", """{"object":"page","entry":[1]}"""u8.ToArray(), "application/json", ("X-Hub-Signature-256", signature)));

        Assert.Equal((WebhookCheck.Ok, WebhookCheck.Invalid), (ok.Check, tampered.Check));
    }

    [Fact]
    public async Task NormaliseAsync_TextPostbackDeliveryEchoAndRead_AreEachHandled()
    {
        using var kit = Kit();
        const string json = """
            {"object":"page","entry":[{"id":"PAGE1","time":1700000000,"messaging":[
              {"sender":{"id":"PSID7"},"recipient":{"id":"PAGE1"},"timestamp":1700000000,"message":{"mid":"m_1","text":"Do you ship to Lyon?"}},
              {"sender":{"id":"PSID7"},"recipient":{"id":"PAGE1"},"timestamp":1700000001,"postback":{"mid":"m_2","title":"Track my order","payload":"TRACK"}},
              {"sender":{"id":"PSID7"},"recipient":{"id":"PAGE1"},"timestamp":1700000002,"delivery":{"mids":["m_out_1"],"watermark":1700000002}},
              {"sender":{"id":"PAGE1"},"recipient":{"id":"PSID7"},"timestamp":1700000003,"message":{"mid":"m_3","is_echo":true,"text":"our own"}},
              {"sender":{"id":"PSID7"},"recipient":{"id":"PAGE1"},"timestamp":1700000004,"read":{"watermark":1700000004}}]}]}
            """;

        var content = await kit.Webhook(ChannelKind.Messenger).NormaliseAsync(Inbox(), "application/json", json, CancellationToken.None);

        Assert.Equal(["Do you ship to Lyon?", "Track my order"], content.Messages.Select(m => m.Message.Text));
        Assert.All(content.Messages, m => Assert.Equal(new ContactIdentity(IdentityKind.Messenger, "PSID7"), m.Message.Sender));
        Assert.Equal(new WebhookStatusUpdate("m_out_1", DeliveryStatus.Delivered), Assert.Single(content.Statuses));
        Assert.Equal(2, content.Ignored.Count);
    }

    [Fact]
    public async Task SendAsync_Reply_PostsTheSendApiRequest()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, """{"recipient_id":"PSID7","message_id":"m_out_9"}"""));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.Messenger).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Messenger, "PSID7"), "Yes, we do.", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((true, "m_out_9"), (outcome.Success, outcome.ProviderMessageId));
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", "/v21.0/PAGE1/messages", "Bearer page-token"), (request.Method, request.PathAndQuery, request.Headers["Authorization"]));
        Assert.Equal("""{"recipient":{"id":"PSID7"},"messaging_type":"RESPONSE","message":{"text":"Yes, we do."}}""", JsonSerializer.Serialize(JsonDocument.Parse(request.Body).RootElement));
    }

    [Fact]
    public async Task SendAsync_OutsideThe24HourWindow_FailsPermanently()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, "{}"));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.Messenger).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Messenger, "PSID7"), "Late", TimeSpan.FromDays(2)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task NormaliseAsync_ImageAudioAndFileAttachments_AreDownloadedIntoFileStorage_LocationIgnored()
    {
        await using var cdn = await ProviderStandIn.StartAsync((r, c) =>
        {
            c.Response.ContentType = r.PathAndQuery.Contains("img", StringComparison.Ordinal) ? "image/jpeg" : r.PathAndQuery.Contains("voice", StringComparison.Ordinal) ? "audio/mp4" : "application/pdf";
            return c.Response.WriteAsync("BYTES:" + r.PathAndQuery);
        });
        using var kit = Kit();
        var json = $$"""
            {"object":"page","entry":[{"id":"PAGE1","time":1700000000,"messaging":[
              {"sender":{"id":"PSID7"},"recipient":{"id":"PAGE1"},"timestamp":1700000000,"message":{"mid":"m_media","text":"See attached","attachments":[
                {"type":"image","payload":{"url":"{{cdn.BaseUrl}}img/1.jpg?oh=sig"} },
                {"type":"audio","payload":{"url":"{{cdn.BaseUrl}}voice/2"} },
                {"type":"file","payload":{"url":"{{cdn.BaseUrl}}file/3"} },
                {"type":"location","payload":{"coordinates":{"lat":45.76,"long":4.83} } } ]} } ]} ]}
            """;

        var inbox = Inbox();
        var content = await kit.Webhook(ChannelKind.Messenger).NormaliseAsync(inbox, "application/json", json, CancellationToken.None);

        var message = Assert.Single(content.Messages).Message;
        Assert.Equal(("m_media", "See attached"), (message.ExternalId, message.Text));
        Assert.Equal(["image/jpeg", "audio/mp4", "application/pdf"], message.Attachments!.Select(a => a.ContentType));
        Assert.Equal(["/img/1.jpg?oh=sig", "/voice/2", "/file/3"], cdn.Requests.Select(r => r.PathAndQuery));
        var storage = kit.Get<Application.Files.IFileStorage>();
        await using var stored = await storage.OpenReadAsync(message.Attachments![0].StorageKey, CancellationToken.None);
        using var reader = new StreamReader(stored!);
        Assert.Equal("BYTES:/img/1.jpg?oh=sig", await reader.ReadToEndAsync());
        Assert.StartsWith($"m_{inbox.Id.Value:N}_", message.Attachments[0].StorageKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithAttachments_SendsTheTextThenUploadsEachFileWithItsSend()
    {
        var sends = 0;
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, $$"""{"recipient_id":"PSID7","message_id":"m_out_{{Interlocked.Increment(ref sends)}}"}"""));
        using var kit = Kit(graph);
        var storage = kit.Get<Application.Files.IFileStorage>();
        await storage.SaveAsync("a_label.png", new MemoryStream("PNG-BYTES"u8.ToArray()), CancellationToken.None);
        await storage.SaveAsync("a_invoice.pdf", new MemoryStream("%PDF-BYTES"u8.ToArray()), CancellationToken.None);
        Attachment[] files = [new("label.png", "image/png", 9, "a_label.png"), new("invoice.pdf", "application/pdf", 10, "a_invoice.pdf")];

        var outcome = await kit.Sender(ChannelKind.Messenger).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Messenger, "PSID7"), "Your label and invoice", TimeSpan.FromHours(1), attachments: files), CancellationToken.None);

        Assert.Equal((true, "m_out_1"), (outcome.Success, outcome.ProviderMessageId));
        var requests = graph.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("POST", "/v21.0/PAGE1/messages", "Bearer page-token"), (r.Method, r.PathAndQuery, r.Headers["Authorization"])));
        Assert.Equal("""{"recipient":{"id":"PSID7"},"messaging_type":"RESPONSE","message":{"text":"Your label and invoice"}}""", JsonSerializer.Serialize(JsonDocument.Parse(requests[0].Body).RootElement));
        Assert.Equal("multipart/form-data", requests[1].ContentType?.Split(';')[0]);
        Assert.Matches("name=recipient\\s+\\{\"id\":\"PSID7\"\\}\\s", requests[1].Body);
        Assert.Matches("name=messaging_type\\s+RESPONSE\\s", requests[1].Body);
        Assert.Matches("name=message\\s+\\{\"attachment\":\\{\"type\":\"image\",\"payload\":\\{\"is_reusable\":false\\}\\}\\}\\s", requests[1].Body);
        Assert.Matches("Content-Type: image/png\\s+Content-Disposition: form-data; name=filedata; filename=label.png[^\\n]*\\s+PNG-BYTES", requests[1].Body);
        Assert.Contains("\"type\":\"file\"", requests[2].Body, StringComparison.Ordinal);
        Assert.Matches("Content-Type: application/pdf\\s+Content-Disposition: form-data; name=filedata; filename=invoice.pdf[^\\n]*\\s+%PDF-BYTES", requests[2].Body);
    }

    [Theory]
    [InlineData("image/jpeg", "image")]
    [InlineData("audio/mpeg", "audio")]
    [InlineData("video/mp4", "video")]
    [InlineData("application/pdf", "file")]
    public void AttachmentType_ContentType_IsTheSendApiType(string contentType, string expected)
    {
        Assert.Equal(expected, global::ContactCenter.Channels.Messenger.MessengerSender.AttachmentType(contentType));
    }

    [Fact]
    public async Task SendAsync_RefusedByMeta_FailsPermanentlyWithMetasReason()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 400,
            """{"error":{"message":"(#100) No matching user found","type":"OAuthException","code":100,"error_subcode":2018001}}"""));
        using var kit = Kit(graph);

        var outcome = await kit.Sender(ChannelKind.Messenger).SendAsync(kit.Delivery(Inbox(), ContactIdentity.Create(IdentityKind.Messenger, "PSID7"), "Hi", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("No matching user found", outcome.Error, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }
}
