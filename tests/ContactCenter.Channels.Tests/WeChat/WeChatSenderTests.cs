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
}
