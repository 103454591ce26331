using System.Text.Json;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;

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
}
