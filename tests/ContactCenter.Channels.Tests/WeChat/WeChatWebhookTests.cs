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
}
