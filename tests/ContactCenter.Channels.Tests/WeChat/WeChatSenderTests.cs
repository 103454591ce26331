using System.Text.Json;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;

namespace ContactCenter.Channels.Tests.WeChat;

/// <summary>The customer-service message API against a local stand-in for api.weixin.qq.com.</summary>
public sealed class WeChatSenderTests
{
    private static readonly ContactIdentity Customer = ContactIdentity.Create(IdentityKind.WeChat, "oUser42");

    private static ChannelKit Kit(ProviderStandIn api) => new(new Dictionary<string, string?>
    {
        ["Channels:WeChat:BaseUrl"] = api.BaseUrl.ToString(),
        ["S:WxSecret"] = "wx-secret",
    });

    private static Domain.Inboxes.Inbox Inbox() => ChannelKit.Inbox(ChannelKind.WeChat, ("appId", "wx123"), ("appSecretKey", "S:WxSecret"));

    private static Func<RecordedRequest, Microsoft.AspNetCore.Http.HttpContext, Task> Api(Func<int, string> send)
    {
        var tokens = 0;
        var sends = 0;
        return (request, c) => request.PathAndQuery.StartsWith("/cgi-bin/token", StringComparison.Ordinal)
            ? ProviderStandIn.Json(c, 200, $$"""{"access_token":"TOKEN{{Interlocked.Increment(ref tokens)}}","expires_in":7200}""")
            : ProviderStandIn.Json(c, 200, send(Interlocked.Increment(ref sends)));
    }

    [Fact]
    public async Task SendAsync_TwoReplies_FetchTheTokenOnceAndPostTheDocumentedMessage()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(_ => """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);
        var sender = kit.Sender(ChannelKind.WeChat);

        var first = await sender.SendAsync(kit.Delivery(Inbox(), Customer, "您好，我们已经发货。", TimeSpan.FromHours(1)), CancellationToken.None);
        var second = await sender.SendAsync(kit.Delivery(Inbox(), Customer, "Tracking: SF123", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.True(first.Success && second.Success);
        Assert.Equal(
            ["GET /cgi-bin/token?grant_type=client_credential&appid=wx123&secret=wx-secret", "POST /cgi-bin/message/custom/send?access_token=TOKEN1", "POST /cgi-bin/message/custom/send?access_token=TOKEN1"],
            api.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        using var body = JsonDocument.Parse(api.Requests[1].Body);
        Assert.Equal("""{"touser":"oUser42","msgtype":"text","text":{"content":"您好，我们已经发货。"}}""", JsonSerializer.Serialize(body.RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task SendAsync_TokenExpiredEarly_RefreshesAndRetriesOnce()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(n => n == 1 ? """{"errcode":42001,"errmsg":"access_token expired"}""" : """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.WeChat).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.True(outcome.Success);
        Assert.Equal(2, api.Requests.Count(r => r.PathAndQuery.StartsWith("/cgi-bin/token", StringComparison.Ordinal)));
        Assert.EndsWith("access_token=TOKEN2", api.Requests[^1].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ReplyWindowPassed45015_FailsPermanentlyWithWeChatsText()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(_ => """{"errcode":45015,"errmsg":"response out of time limit or subscription is canceled"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.WeChat).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromHours(60)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("response out of time limit", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40001)]
    [InlineData(42001)]
    public async Task SendAsync_TokenRefusedAsInvalidOrExpired_FetchesANewTokenAndRetriesOnce(int errcode)
    {
        await using var api = await ProviderStandIn.StartAsync(Api(n => n == 1 ? $$"""{"errcode":{{errcode}},"errmsg":"invalid credential"}""" : """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.WeChat).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.True(outcome.Success);
        Assert.Equal(
            ["/cgi-bin/token?grant_type=client_credential&appid=wx123&secret=wx-secret", "/cgi-bin/message/custom/send?access_token=TOKEN1",
             "/cgi-bin/token?grant_type=client_credential&appid=wx123&secret=wx-secret", "/cgi-bin/message/custom/send?access_token=TOKEN2"],
            api.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task SendAsync_CachedTokenNearItsExpiry_IsFetchedAgain_OtherwiseReused()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(_ => """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var weChat = new global::ContactCenter.Channels.WeChat.WeChatApi(
            kit.Get<IHttpClientFactory>(), kit.Configuration, kit.Get<global::ContactCenter.Channels.Messaging.InboxSecrets>(), kit.Get<global::ContactCenter.Channels.Messaging.MediaDownloads>(), clock);
        var sender = new global::ContactCenter.Channels.WeChat.WeChatSender(weChat, kit.Get<Application.Files.IFileStorage>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<global::ContactCenter.Channels.WeChat.WeChatSender>.Instance);
        var inbox = Inbox();

        await sender.SendAsync(kit.Delivery(inbox, Customer, "1", TimeSpan.FromHours(1)), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(7200 - 301)); // still valid: refreshed 5 minutes before WeChat's expires_in
        await sender.SendAsync(kit.Delivery(inbox, Customer, "2", TimeSpan.FromHours(1)), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.SendAsync(kit.Delivery(inbox, Customer, "3", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal(
            ["access_token=TOKEN1", "access_token=TOKEN1", "access_token=TOKEN2"],
            api.Requests.Where(r => r.PathAndQuery.StartsWith("/cgi-bin/message", StringComparison.Ordinal)).Select(r => r.PathAndQuery.Split('?')[1]));
        Assert.Equal(2, api.Requests.Count(r => r.PathAndQuery.StartsWith("/cgi-bin/token", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SendAsync_WithAPicture_SendsTheTextThenUploadsTheImageAndSendsItByMediaId()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(n => n == 2 ? """{"type":"image","media_id":"MEDIA_9","created_at":1700000000}""" : """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);
        var storage = kit.Get<Application.Files.IFileStorage>();
        await storage.SaveAsync("a_photo.jpg", new MemoryStream("JPEG-BYTES"u8.ToArray()), CancellationToken.None);

        var outcome = await kit.Sender(ChannelKind.WeChat).SendAsync(
            kit.Delivery(Inbox(), Customer, "The photo", TimeSpan.FromHours(1), attachments: [new("photo.jpg", "image/jpeg", 10, "a_photo.jpg")]), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Error);
        var requests = api.Requests;
        Assert.Equal(
            ["GET /cgi-bin/token?grant_type=client_credential&appid=wx123&secret=wx-secret", "POST /cgi-bin/message/custom/send?access_token=TOKEN1",
             "POST /cgi-bin/media/upload?access_token=TOKEN1&type=image", "POST /cgi-bin/message/custom/send?access_token=TOKEN1"],
            requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal("multipart/form-data", requests[2].ContentType?.Split(';')[0]);
        Assert.Matches("Content-Type: image/jpeg\\s+Content-Disposition: form-data; name=media; filename=photo.jpg[^\\n]*\\s+JPEG-BYTES", requests[2].Body);
        Assert.Equal("""{"touser":"oUser42","msgtype":"image","image":{"media_id":"MEDIA_9"}}""", JsonSerializer.Serialize(JsonDocument.Parse(requests[3].Body).RootElement));
    }

    [Fact]
    public async Task SendAsync_WithAPdf_FailsPermanentlyNamingTheFileWithoutCallingWeChat()
    {
        await using var api = await ProviderStandIn.StartAsync(Api(_ => """{"errcode":0,"errmsg":"ok"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.WeChat).SendAsync(
            kit.Delivery(Inbox(), Customer, "Invoice", TimeSpan.FromHours(1), attachments: [new("invoice.pdf", "application/pdf", 10, "a_invoice.pdf")]), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("invoice.pdf", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }
}
