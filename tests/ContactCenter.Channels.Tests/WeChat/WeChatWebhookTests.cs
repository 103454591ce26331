using System.Text;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Channels.WeChat;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;

namespace ContactCenter.Channels.Tests.WeChat;

public sealed class WeChatWebhookTests
{
    // Independent reference: python3 -c "import hashlib; print(hashlib.sha1(''.join(sorted(['weixin-token','1700000000','nonce123'])).encode()).hexdigest())"
    private const string Signature = "e06725503b10557329c511961920f2d3d2918f63";

    private static (ChannelKit Kit, IWebhookChannel Channel, Domain.Inboxes.Inbox Inbox) Setup()
    {
        var kit = new ChannelKit(new Dictionary<string, string?> { ["S:WeChat"] = "weixin-token" });
        return (kit, kit.Webhook(ChannelKind.WeChat), ChannelKit.Inbox(ChannelKind.WeChat, ("tokenKey", "S:WeChat"), ("appId", "wx123")));
    }

    [Fact]
    public void Sign_SortedTokenTimestampNonce_IsSha1Hex()
    {
        Assert.Equal(Signature, WeChatWebhookChannel.Sign("weixin-token", "1700000000", "nonce123"));
    }

    [Fact]
    public void Handshake_ValidSignature_EchoesEchostr()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        var ok = channel.Handshake(inbox, ChannelKit.Request($"https://cc.test/w?signature={Signature}&timestamp=1700000000&nonce=nonce123&echostr=hello-wechat", []));
        var forged = channel.Handshake(inbox, ChannelKit.Request("https://cc.test/w?signature=deadbeef&timestamp=1700000000&nonce=nonce123&echostr=hello-wechat", []));

        Assert.Equal(new HandshakeResult(200, "hello-wechat"), ok);
        Assert.Equal(403, forged!.StatusCode);
    }

    [Fact]
    public void Verify_FreshValidSignature_IsOk()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var timestamp = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeChatWebhookChannel.Sign("weixin-token", timestamp, "nonce123");

        Assert.Equal(WebhookCheck.Ok, channel.Verify(inbox, ChannelKit.Request($"https://cc.test/w?signature={signature}&timestamp={timestamp}&nonce=nonce123", [])).Check);
    }

    [Fact]
    public void Verify_ReplayedOldTimestamp_IsInvalid()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var timestamp = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeChatWebhookChannel.Sign("weixin-token", timestamp, "nonce123");

        var result = channel.Verify(inbox, ChannelKit.Request($"https://cc.test/w?signature={signature}&timestamp={timestamp}&nonce=nonce123", []));

        Assert.Equal(WebhookCheck.Invalid, result.Check);
        Assert.Contains("too old", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://cc.test/w?timestamp=1700000000&nonce=nonce123", WebhookCheck.Missing)]
    [InlineData("https://cc.test/w?signature=e06725503b10557329c511961920f2d3d2918f64&timestamp=1700000000&nonce=nonce123", WebhookCheck.Invalid)]
    [InlineData("https://cc.test/w?signature=e06725503b10557329c511961920f2d3d2918f63&timestamp=1700000001&nonce=nonce123", WebhookCheck.Invalid)]
    public void Verify_MissingOrForgedSignature_IsRefused(string url, WebhookCheck expected)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        Assert.Equal(expected, channel.Verify(inbox, ChannelKit.Request(url, [])).Check);
    }

    [Theory]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><FromUserName>oUser")]
    [InlineData("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>&x;</FromUserName><MsgType>text</MsgType></xml>")]
    [InlineData("<other><FromUserName>o</FromUserName><MsgType>text</MsgType></other>")]
    [InlineData("<xml><ToUserName>gh_1</ToUserName></xml>")]
    public void Accept_MalformedOrHostileXml_IsAValidationError(string xml)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        Assert.False(channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(xml), "text/xml")).IsSuccess);
    }

    [Fact]
    public async Task NormaliseAsync_TextMessage_IsAMessageFromTheOpenId()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        const string xml = "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[oUser42]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好，我的订单在哪里？]]></Content><MsgId>23456789012345678</MsgId></xml>";

        var accepted = channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(xml), "text/xml"));
        var content = await channel.NormaliseAsync(inbox, "text/xml", xml, CancellationToken.None);

        Assert.Equal(("23456789012345678", "success"), (accepted.Value.EventId, accepted.Value.Reply));
        var message = Assert.Single(content.Messages).Message;
        Assert.Equal(("你好，我的订单在哪里？", "23456789012345678"), (message.Text, message.ExternalId));
        Assert.Equal(new ContactIdentity(IdentityKind.WeChat, "oUser42"), message.Sender);
    }

    [Theory]
    [InlineData("subscribe", "followed")]
    [InlineData("unsubscribe", "unfollowed")]
    public async Task NormaliseAsync_FollowEvents_AreIgnoredWithTheReason(string kind, string reason)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var xml = $"<xml><ToUserName>gh_123</ToUserName><FromUserName>oUser42</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>{kind}</Event></xml>";

        var content = await channel.NormaliseAsync(inbox, "text/xml", xml, CancellationToken.None);

        Assert.True(content.IsEmpty);
        Assert.Contains(content.Ignored, i => i.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NormaliseAsync_ImageAndVoice_AreDownloadedPictureByPicUrlVoiceThroughMediaGetWithTheAccessToken()
    {
        await using var api = await ProviderStandIn.StartAsync((r, c) =>
        {
            if (r.PathAndQuery.StartsWith("/cgi-bin/token", StringComparison.Ordinal))
            {
                return ProviderStandIn.Json(c, 200, """{"access_token":"TOKEN1","expires_in":7200}""");
            }

            c.Response.ContentType = "application/octet-stream";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(c.Response, "BYTES:" + r.PathAndQuery);
        });
        using var kit = new ChannelKit(new Dictionary<string, string?>
        {
            ["S:WeChat"] = "weixin-token",
            ["S:WxSecret"] = "wx-secret",
            ["Channels:WeChat:BaseUrl"] = api.BaseUrl.ToString(),
        });
        var channel = kit.Webhook(ChannelKind.WeChat);
        var inbox = ChannelKit.Inbox(ChannelKind.WeChat, ("tokenKey", "S:WeChat"), ("appId", "wx123"), ("appSecretKey", "S:WxSecret"));
        var image = $"<xml><ToUserName>gh_1</ToUserName><FromUserName>oUser42</FromUserName><CreateTime>1700000000</CreateTime><MsgType>image</MsgType><PicUrl>{api.BaseUrl}pic/abc.jpg</PicUrl><MediaId>IMG_MEDIA</MediaId><MsgId>1001</MsgId></xml>";
        const string voice = "<xml><ToUserName>gh_1</ToUserName><FromUserName>oUser42</FromUserName><CreateTime>1700000001</CreateTime><MsgType>voice</MsgType><MediaId>VOICE_MEDIA</MediaId><Format>amr</Format><Recognition>我要退货</Recognition><MsgId>1002</MsgId></xml>";

        var picture = Assert.Single((await channel.NormaliseAsync(inbox, "text/xml", image, CancellationToken.None)).Messages).Message;
        var spoken = Assert.Single((await channel.NormaliseAsync(inbox, "text/xml", voice, CancellationToken.None)).Messages).Message;

        Assert.Equal(("1001", "image/jpeg"), (picture.ExternalId, Assert.Single(picture.Attachments!).ContentType));
        Assert.Equal(("1002", "(voice) 我要退货", "audio/amr"), (spoken.ExternalId, spoken.Text, Assert.Single(spoken.Attachments!).ContentType));
        Assert.Equal(
            ["/pic/abc.jpg", "/cgi-bin/token?grant_type=client_credential&appid=wx123&secret=wx-secret", "/cgi-bin/media/get?access_token=TOKEN1&media_id=VOICE_MEDIA"],
            api.Requests.Select(r => r.PathAndQuery));
        await using var stored = await kit.Get<Application.Files.IFileStorage>().OpenReadAsync(spoken.Attachments![0].StorageKey, CancellationToken.None);
        using var reader = new StreamReader(stored!);
        Assert.Equal("BYTES:/cgi-bin/media/get?access_token=TOKEN1&media_id=VOICE_MEDIA", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("<Event>CLICK</Event><EventKey>MENU_HELP</EventKey>", "CLICK")]
    [InlineData("<Event>SCAN</Event><EventKey>qr1</EventKey>", "SCAN")]
    [InlineData("<Event>LOCATION</Event><Latitude>31.2</Latitude><Longitude>121.5</Longitude>", "LOCATION")]
    public async Task NormaliseAsync_OtherEvents_AreIgnoredNamingTheEvent(string fields, string kind)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var xml = $"<xml><ToUserName>gh_123</ToUserName><FromUserName>oUser42</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType>{fields}</xml>";

        var accepted = channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(xml), "text/xml"));
        var content = await channel.NormaliseAsync(inbox, "text/xml", xml, CancellationToken.None);

        Assert.Equal($"oUser42:1700000000:{kind}", accepted.Value.EventId);
        Assert.True(content.IsEmpty);
        Assert.Contains(content.Ignored, i => i.Contains(kind, StringComparison.Ordinal));
    }
}
