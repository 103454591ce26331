using System.Text;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Messaging;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;

namespace ContactCenter.Channels.Tests.WhatsApp;

public sealed class WhatsAppWebhookTests
{
    private const string Secret = "meta-app-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");

    private static (ChannelKit Kit, IWebhookChannel Channel, Domain.Inboxes.Inbox Inbox) Setup()
    {
        var kit = new ChannelKit(new Dictionary<string, string?> { ["S:Secret"] = Secret, ["S:Verify"] = "verify-me" });
        var inbox = ChannelKit.Inbox(ChannelKind.WhatsApp, ("appSecretKey", "S:Secret"), ("verifyTokenKey", "S:Verify"), ("phoneNumberId", "1122334455667"));
        return (kit, kit.Webhook(ChannelKind.WhatsApp), inbox);
    }

    [Fact]
    public void Sign_KnownSecretAndBody_IsHexHmacSha256()
    {
        // Independent reference: `printf '%s' '{"object":"whatsapp_business_account","entry":[]}' | openssl dgst -sha256 -hmac meta-app-secret`
        Assert.Equal("sha256=ee9f05f989bc0aa2693d85691a477f8b8403933cde7959a1c5c6be7ea85e8d3d", MetaWebhooks.Sign(Secret, Body));
    }

    [Fact]
    public void Verify_CorrectSignature_IsOk()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var request = ChannelKit.Request("https://cc.test/webhooks/whatsapp/x", Body, "application/json", ("X-Hub-Signature-256", ReferenceHmac(Secret, Body)));

        Assert.Equal(WebhookCheck.Ok, channel.Verify(inbox, request).Check);
    }

    [Theory]
    [InlineData(null, WebhookCheck.Missing)]
    [InlineData("", WebhookCheck.Missing)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", WebhookCheck.Invalid)]
    [InlineData("sha1=abc", WebhookCheck.Invalid)]
    public void Verify_MissingOrForgedSignature_IsRefused(string? header, WebhookCheck expected)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var headers = header is null ? [] : new[] { ("X-Hub-Signature-256", header) };
        var request = ChannelKit.Request("https://cc.test/webhooks/whatsapp/x", Body, "application/json", headers);

        Assert.Equal(expected, channel.Verify(inbox, request).Check);
    }

    [Fact]
    public void Verify_SignatureOfAnotherSecret_IsInvalid()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var request = ChannelKit.Request("https://cc.test/webhooks/whatsapp/x", Body, "application/json", ("X-Hub-Signature-256", ReferenceHmac("other-secret", Body)));

        Assert.Equal(WebhookCheck.Invalid, channel.Verify(inbox, request).Check);
    }

    [Fact]
    public void Handshake_RightVerifyToken_EchoesTheChallenge()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        var ok = channel.Handshake(inbox, ChannelKit.Request("https://cc.test/w?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", []));
        var wrong = channel.Handshake(inbox, ChannelKit.Request("https://cc.test/w?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444", []));

        Assert.Equal(new HandshakeResult(200, "1158201444"), ok);
        Assert.Equal(403, wrong!.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"object":"page","entry":[]}""")]
    public void Accept_MalformedOrForeignBody_IsAValidationError(string body)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        var accepted = channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(body)));

        Assert.False(accepted.IsSuccess);
    }

    [Fact]
    public async Task NormaliseAsync_ChangeForAnotherPhoneNumber_IsIgnored()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var json = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"phone_number_id":"999"},"messages":[{"from":"972987654321","id":"wamid.1","type":"text","text":{"body":"hi"}}]}}]}]}
            """;

        var content = await channel.NormaliseAsync(inbox, "application/json", json, CancellationToken.None);

        Assert.True(content.IsEmpty);
        Assert.Contains(content.Ignored, i => i.Contains("999", StringComparison.Ordinal));
    }

    private static string ReferenceHmac(string secret, byte[] body)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "sha256=" + string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
