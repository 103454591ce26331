using System.Net;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Channels.Tests.Messaging;

/// <summary>
/// The whole pipeline on a real host over HTTP: POST /webhooks/{channel}/{inboxId} → signature → stored → acknowledged →
/// processed in the background into messages and delivery updates.
/// </summary>
public sealed class WebhookPipelineTests : IDisposable
{
    private const string MetaSecret = "e2e-meta-secret";
    private const string TwilioToken = "e2e-twilio-token";
    private const string TelegramSecret = "e2e-telegram-secret";

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["Secrets:Meta:AppSecret"] = MetaSecret,
        ["Secrets:Meta:Verify"] = "e2e-verify",
        ["Secrets:Twilio:Token"] = TwilioToken,
        ["Secrets:Telegram:Secret"] = TelegramSecret,
        ["Secrets:WeChat:Token"] = "e2e-wechat-token",
        ["Webhooks:PollInterval"] = "00:00:00.200",
    });

    public void Dispose() => _host.Dispose();

    private async Task<Inbox> InboxAsync(ChannelKind channel, params (string Key, string Value)[] settings)
    {
        var inbox = Inbox.Create("E2E " + channel, channel, null).Value;
        foreach (var (key, value) in settings)
        {
            inbox.SetSetting(key, value);
        }

        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
        });
        return inbox;
    }

    private Task<Inbox> WhatsAppInboxAsync() =>
        InboxAsync(ChannelKind.WhatsApp, ("appSecretKey", "Secrets:Meta:AppSecret"), ("verifyTokenKey", "Secrets:Meta:Verify"), ("phoneNumberId", "1122334455667"));

    private static string WhatsAppText(string wamid, string text, string from = "14155550100") => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
         "metadata":{"display_phone_number":"15550001111","phone_number_id":"1122334455667"},
         "contacts":[{"profile":{"name":"Dana Buyer"},"wa_id":"{{{from}}}"}],
         "messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"1700000000","type":"text","text":{"body":"{{{text}}}"}}]}}]}]}
        """;

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, params (string Name, string Value)[] headers)
    {
        using var client = _host.CreateRealClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request).Within("webhook POST");
    }

    private static string MetaSignature(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MetaSecret), Encoding.UTF8.GetBytes(body)));

    private Task<T> QueryAsync<T>(Func<IApplicationDbContext, IWebhookInboxDbContext, Task<T>> query) =>
        _host.InScopeAsync(sp => query(sp.GetRequiredService<IApplicationDbContext>(), sp.GetRequiredService<IWebhookInboxDbContext>()));

    private Task WhenAllProcessedAsync(InboxId inbox, int count) =>
        Waits.UntilAsync(
            () => QueryAsync((_, w) => w.WebhookInbox.CountAsync(i => i.InboxId == inbox && i.Status != WebhookStatus.Pending).ContinueWith(t => t.Result >= count, TaskScheduler.Default)),
            $"{count} webhooks processed");

    [Fact]
    public async Task PostWhatsApp_SameSignedWebhookTwice_StoresOneMessageFromAContactKnownByPhone()
    {
        var inbox = await WhatsAppInboxAsync();
        var body = WhatsAppText("wamid.E2E1", "Is my parcel on its way?");

        using var first = await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)));
        using var second = await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)));
        await WhenAllProcessedAsync(inbox.Id, 2);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var messages = await QueryAsync((db, _) => db.Messages.Where(m => m.InboxId == inbox.Id).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Equal(("Is my parcel on its way?", "wamid.E2E1"), (message.Text, message.ExternalId));
        var contact = await QueryAsync((db, _) => db.FindContactByIdentityAsync(new ContactIdentity(IdentityKind.Phone, "+14155550100")));
        Assert.NotNull(contact);
        Assert.Equal("Dana Buyer", contact.Name);
        Assert.Contains(new ContactIdentity(IdentityKind.WhatsApp, "+14155550100"), contact.Identities);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("sha256=00000000000000000000000000000000000000000000000000000000000000ff", HttpStatusCode.Forbidden)]
    public async Task PostWhatsApp_MissingOrForgedSignature_IsRefusedAndNothingStored(string? signature, HttpStatusCode expected)
    {
        var inbox = await WhatsAppInboxAsync();
        var body = WhatsAppText("wamid.FORGED", "let me in");
        var headers = signature is null ? [] : new[] { ("X-Hub-Signature-256", signature) };

        using var response = await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", body, "application/json", headers);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await QueryAsync((_, w) => w.WebhookInbox.CountAsync()));
    }

    [Fact]
    public async Task PostWhatsApp_SignedMalformedJson_Is400WithAProblemAndNothingStored()
    {
        var inbox = await WhatsAppInboxAsync();
        const string body = """{"object":"whatsapp_business_account","entry":[""";

        using var response = await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync((_, w) => w.WebhookInbox.CountAsync()));
    }

    [Fact]
    public async Task GetWhatsApp_HubChallengeWithTheVerifyToken_EchoesIt()
    {
        var inbox = await WhatsAppInboxAsync();
        using var client = _host.CreateRealClient();

        var ok = await client.GetAsync($"webhooks/whatsapp/{inbox.Id.Value}?hub.mode=subscribe&hub.verify_token=e2e-verify&hub.challenge=8472").Within("handshake");
        var wrong = await client.GetAsync($"webhooks/whatsapp/{inbox.Id.Value}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=8472").Within("handshake");

        Assert.Equal((HttpStatusCode.OK, "8472"), (ok.StatusCode, await ok.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task PostWebhook_UnknownInboxOrChannelMismatch_Is404()
    {
        var inbox = await WhatsAppInboxAsync();
        var body = WhatsAppText("wamid.X", "hi");

        using var unknown = await PostAsync($"webhooks/whatsapp/{Guid.NewGuid()}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)));
        using var mismatch = await PostAsync($"webhooks/telegram/{inbox.Id.Value}", body, "application/json", ("X-Telegram-Bot-Api-Secret-Token", TelegramSecret));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, mismatch.StatusCode));
    }

    [Fact]
    public async Task PostWhatsAppStatus_ForOurSentReply_MovesItsDeliveryForward()
    {
        var inbox = await WhatsAppInboxAsync();
        var body = WhatsAppText("wamid.Q1", "Question");
        (await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)))).Dispose();
        await WhenAllProcessedAsync(inbox.Id, 1);
        var replyId = await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.SingleAsync(c => c.InboxId == inbox.Id);
            var reply = conversation.ReplyFromAgent(AgentId.New(), "Alice", new MessageContent("On its way!"), false, null, DateTimeOffset.UtcNow).Value;
            var outbox = OutboxItem.For(reply.Id, conversation.Id, inbox.Id, ChannelKind.WhatsApp, DateTimeOffset.UtcNow);
            outbox.Succeeded("wamid.OUT1", DateTimeOffset.UtcNow);
            sp.GetRequiredService<IOutboxDbContext>().Outbox.Add(outbox);
            await db.SaveChangesAsync();
            return reply.Id;
        });
        var status = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"phone_number_id":"1122334455667"},
             "statuses":[{"id":"wamid.OUT1","status":"delivered","timestamp":"1700000100","recipient_id":"14155550100"}]}}]}]}
            """;

        using var response = await PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", status, "application/json", ("X-Hub-Signature-256", MetaSignature(status)));
        await WhenAllProcessedAsync(inbox.Id, 2);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = await QueryAsync((db, _) => db.Messages.Where(m => m.Id == replyId).Select(m => m.DeliveryStatus).SingleAsync());
        Assert.Equal(DeliveryStatus.Delivered, delivery);
    }

    [Fact]
    public async Task PostTwilioSms_FromTheNumberAlreadyOnWhatsApp_JoinsTheSameContact()
    {
        var whatsApp = await WhatsAppInboxAsync();
        var body = WhatsAppText("wamid.C1", "Hi on WhatsApp", from: "14155550123");
        (await PostAsync($"webhooks/whatsapp/{whatsApp.Id.Value}", body, "application/json", ("X-Hub-Signature-256", MetaSignature(body)))).Dispose();
        await WhenAllProcessedAsync(whatsApp.Id, 1);
        var sms = await InboxAsync(ChannelKind.Sms, ("authTokenKey", "Secrets:Twilio:Token"), ("accountSid", "AC1"));
        var url = new Uri(_host.BaseAddress, $"webhooks/twilio/{sms.Id.Value}");
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = "AC1",
            ["Body"] = "Hi by SMS",
            ["From"] = "+14155550123",
            ["MessageSid"] = "SM1",
            ["NumMedia"] = "0",
            ["SmsStatus"] = "received",
            ["To"] = "+15005550006",
        };
        var encoded = string.Join("&", form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var signed = url + string.Concat(form.Select(p => p.Key + p.Value));
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(TwilioToken), Encoding.UTF8.GetBytes(signed)));

        using var response = await PostAsync(url.ToString(), encoded, "application/x-www-form-urlencoded", ("X-Twilio-Signature", signature));
        await WhenAllProcessedAsync(sms.Id, 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Response>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var owners = await QueryAsync((db, _) => db.Conversations.Where(c => c.InboxId == whatsApp.Id || c.InboxId == sms.Id).Select(c => c.ContactId).Distinct().ToListAsync());
        Assert.Single(owners);
    }

    [Fact]
    public async Task PostTelegram_WithTheSecretHeader_BecomesAMessage_WithoutIt401()
    {
        var inbox = await InboxAsync(ChannelKind.Telegram, ("secretTokenKey", "Secrets:Telegram:Secret"));
        const string update = """
            {"update_id":900001,"message":{"message_id":77,"date":1700000000,"from":{"id":4242,"is_bot":false,"first_name":"Ivan","last_name":"P"},
             "chat":{"id":4242,"type":"private","first_name":"Ivan"},"text":"Привет! Where is my order?"}}
            """;

        using var missing = await PostAsync($"webhooks/telegram/{inbox.Id.Value}", update, "application/json");
        using var ok = await PostAsync($"webhooks/telegram/{inbox.Id.Value}", update, "application/json", ("X-Telegram-Bot-Api-Secret-Token", TelegramSecret));
        await WhenAllProcessedAsync(inbox.Id, 1);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (missing.StatusCode, ok.StatusCode));
        var message = await QueryAsync((db, _) => db.Messages.SingleAsync(m => m.InboxId == inbox.Id));
        Assert.Equal(("Привет! Where is my order?", "4242:77", "Ivan P"), (message.Text, message.ExternalId, message.AuthorName));
    }

    [Fact]
    public async Task Processor_MediaThatCannotBeFetched_RetriesThenFailsTheWebhookWithTheReason_NoMessageStored()
    {
        using var host = new ContactCenterHost(new Dictionary<string, string?>
        {
            ["Secrets:Meta:AppSecret"] = MetaSecret,
            ["Webhooks:PollInterval"] = "00:00:00.200",
            ["Webhooks:MaxAttempts"] = "2",
        });
        var inbox = Inbox.Create("No token", ChannelKind.WhatsApp, null).Value;
        inbox.SetSetting("appSecretKey", "Secrets:Meta:AppSecret"); // no accessTokenKey: media can't be downloaded
        await host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
        });
        const string body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1"},
             "messages":[{"from":"14155550100","id":"wamid.IMG","timestamp":"1700000000","type":"image","image":{"id":"777","mime_type":"image/jpeg"}}]}}]}]}
            """;
        using var client = host.CreateRealClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add("X-Hub-Signature-256", MetaSignature(body));

        using var response = await client.PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", content).Within("webhook");
        WebhookInboxItem? failed = null;
        await Waits.UntilAsync(async () =>
        {
            failed = await host.InScopeAsync(sp => sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().SingleOrDefaultAsync(w => w.Status == WebhookStatus.Failed));
            return failed is not null;
        }, "the webhook failed after its attempts", TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, failed!.Attempts);
        Assert.Contains("access token", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, await host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync()));
    }

    [Fact]
    public async Task GetWeChat_UrlVerification_EchoesEchostrOnlyWhenSigned()
    {
        var inbox = await InboxAsync(ChannelKind.WeChat, ("tokenKey", "Secrets:WeChat:Token"));
        var signature = Channels.WeChat.WeChatWebhookChannel.Sign("e2e-wechat-token", "1700000000", "n1");
        using var client = _host.CreateRealClient();

        var ok = await client.GetAsync($"webhooks/wechat/{inbox.Id.Value}?signature={signature}&timestamp=1700000000&nonce=n1&echostr=abc123").Within("wechat verify");
        var forged = await client.GetAsync($"webhooks/wechat/{inbox.Id.Value}?signature=0000&timestamp=1700000000&nonce=n1&echostr=abc123").Within("wechat verify");

        Assert.Equal((HttpStatusCode.OK, "abc123"), (ok.StatusCode, await ok.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }
}
