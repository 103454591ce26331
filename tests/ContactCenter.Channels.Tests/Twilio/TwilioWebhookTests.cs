using System.Text;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Twilio.Security;

namespace ContactCenter.Channels.Tests.Twilio;

public sealed class TwilioWebhookTests
{
    // Twilio's published example (https://www.twilio.com/docs/usage/security#validating-requests): auth token 12345.
    private const string DocumentedUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocumentedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    private const string DocumentedForm = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";

    private static (ChannelKit Kit, IWebhookChannel Channel, Domain.Inboxes.Inbox Inbox) Setup(string? webhookUrl = null)
    {
        var kit = new ChannelKit(new Dictionary<string, string?> { ["S:Twilio"] = "12345" });
        var settings = new List<(string, string)> { ("authTokenKey", "S:Twilio"), ("accountSid", "AC123") };
        if (webhookUrl is not null)
        {
            settings.Add(("webhookUrl", webhookUrl));
        }

        return (kit, kit.Webhook(ChannelKind.Sms), ChannelKit.Inbox(ChannelKind.Sms, [.. settings]));
    }

    [Fact]
    public void RequestValidator_TwiliosDocumentedExample_Validates()
    {
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+12349013030",
            ["Digits"] = "1234",
            ["From"] = "+12349013030",
            ["To"] = "+18005551212",
        };

        Assert.True(new RequestValidator("12345").Validate(DocumentedUrl, parameters, DocumentedSignature));
    }

    [Fact]
    public void Verify_DocumentedExampleAsAFormPost_IsOk()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var request = ChannelKit.Request(DocumentedUrl, Encoding.UTF8.GetBytes(DocumentedForm), "application/x-www-form-urlencoded", ("X-Twilio-Signature", DocumentedSignature));

        Assert.Equal(WebhookCheck.Ok, channel.Verify(inbox, request).Check);
    }

    [Fact]
    public void Verify_ConfiguredPublicUrl_IsWhatIsSigned()
    {
        // Behind a proxy the app sees another URL; the inbox's webhookUrl is what Twilio signed.
        var (kit, channel, inbox) = Setup(webhookUrl: DocumentedUrl);
        using var _ = kit;
        var request = ChannelKit.Request("http://10.0.0.5:8080/webhooks/twilio/x", Encoding.UTF8.GetBytes(DocumentedForm), "application/x-www-form-urlencoded", ("X-Twilio-Signature", DocumentedSignature));

        Assert.Equal(WebhookCheck.Ok, channel.Verify(inbox, request).Check);
    }

    [Theory]
    [InlineData(null, DocumentedForm, WebhookCheck.Missing)]
    [InlineData(DocumentedSignature, "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=9999&From=%2B12349013030&To=%2B18005551212", WebhookCheck.Invalid)]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8=", DocumentedForm, WebhookCheck.Invalid)]
    public void Verify_MissingOrForgedOrTampered_IsRefused(string? signature, string form, WebhookCheck expected)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var headers = signature is null ? [] : new[] { ("X-Twilio-Signature", signature) };
        var request = ChannelKit.Request(DocumentedUrl, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded", headers);

        Assert.Equal(expected, channel.Verify(inbox, request).Check);
    }

    [Fact]
    public async Task NormaliseAsync_InboundSms_IsAMessageFromTheE164PhoneAlsoKnownOnWhatsApp()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        const string form = "MessageSid=SM0001&AccountSid=AC123&From=%2B14155550100&To=%2B15005550006&Body=Where+is+my+order%3F&NumMedia=0&SmsStatus=received";

        Assert.True(channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded")).IsSuccess);
        var content = await channel.NormaliseAsync(inbox, "application/x-www-form-urlencoded", form, CancellationToken.None);

        var message = Assert.Single(content.Messages);
        Assert.Equal("Where is my order?", message.Message.Text);
        Assert.Equal("SM0001", message.Message.ExternalId);
        Assert.Equal(new ContactIdentity(IdentityKind.Phone, "+14155550100"), message.Message.Sender);
        Assert.Equal([new ContactIdentity(IdentityKind.WhatsApp, "+14155550100")], message.SameContact);
    }

    [Theory]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("sent", DeliveryStatus.Sent)]
    [InlineData("undelivered", DeliveryStatus.Failed)]
    [InlineData("failed", DeliveryStatus.Failed)]
    public async Task NormaliseAsync_StatusCallback_IsADeliveryUpdate(string status, DeliveryStatus expected)
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var form = $"MessageSid=SM0002&AccountSid=AC123&From=%2B15005550006&To=%2B14155550100&MessageStatus={status}&ErrorCode=30003";

        var content = await channel.NormaliseAsync(inbox, "application/x-www-form-urlencoded", form, CancellationToken.None);

        var update = Assert.Single(content.Statuses);
        Assert.Equal(("SM0002", expected), (update.ProviderMessageId, update.Status));
        Assert.Equal(expected == DeliveryStatus.Failed, update.Error?.Contains("30003", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Accept_JsonInsteadOfForm_IsAValidationError()
    {
        var (kit, channel, inbox) = Setup();
        using var _ = kit;

        Assert.False(channel.Accept(inbox, ChannelKit.Request("https://cc.test/w", "{}"u8.ToArray(), "application/json")).IsSuccess);
    }

    [Theory]
    [InlineData("+1 (415) 555-0100", null, "+14155550100")]
    [InlineData("whatsapp:+14155550100", null, "+14155550100")]
    [InlineData("972987654321", null, "+972987654321")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    public void ToE164_VariousForms_AreOneCanonicalNumber(string raw, string? region, string expected)
    {
        Assert.Equal(expected, Channels.Messaging.PhoneNumberFormat.ToE164(raw, region));
    }

    [Fact]
    public async Task NormaliseAsync_InboundMms_DownloadsEachMediaUrlWithTheAccountsBasicAuth()
    {
        await using var media = await ProviderStandIn.StartAsync((r, c) =>
        {
            c.Response.ContentType = r.PathAndQuery.EndsWith("ME1", StringComparison.Ordinal) ? "image/jpeg" : "video/mp4";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(c.Response, "MEDIA:" + r.PathAndQuery);
        });
        var (kit, channel, inbox) = Setup();
        using var _ = kit;
        var base64 = Uri.EscapeDataString(media.BaseUrl + "2010-04-01/Accounts/AC123/Messages/MM1/Media/");
        var form = $"MessageSid=MM1&AccountSid=AC123&From=%2B14155550100&To=%2B15005550006&Body=Broken+on+arrival&NumMedia=2&MediaUrl0={base64}ME1&MediaContentType0=image%2Fjpeg&MediaUrl1={base64}ME2&MediaContentType1=video%2Fmp4&SmsStatus=received";

        var message = Assert.Single((await channel.NormaliseAsync(inbox, "application/x-www-form-urlencoded", form, CancellationToken.None)).Messages).Message;

        Assert.Equal(("MM1", "Broken on arrival"), (message.ExternalId, message.Text));
        Assert.Equal([("image/jpeg", ".jpg"), ("video/mp4", ".mp4")], message.Attachments!.Select(a => (a.ContentType, Path.GetExtension(a.StorageKey))));
        Assert.Equal(["/2010-04-01/Accounts/AC123/Messages/MM1/Media/ME1", "/2010-04-01/Accounts/AC123/Messages/MM1/Media/ME2"], media.Requests.Select(r => r.PathAndQuery));
        Assert.All(media.Requests, r => Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC123:12345")), r.Headers["Authorization"]));
    }

    [Fact]
    public async Task NormaliseAsync_NationalNumberWithTheInboxRegion_IsNormalisedToE164()
    {
        var kit = new ChannelKit(new Dictionary<string, string?> { ["S:Twilio"] = "12345" });
        using var _ = kit;
        var inbox = ChannelKit.Inbox(ChannelKind.Sms, ("authTokenKey", "S:Twilio"), ("defaultRegion", "GB"));
        const string form = "MessageSid=SM0009&From=07700+900123&To=%2B15005550006&Body=Hi&NumMedia=0";

        var message = Assert.Single((await kit.Webhook(ChannelKind.Sms).NormaliseAsync(inbox, "application/x-www-form-urlencoded", form, CancellationToken.None)).Messages);

        Assert.Equal(new ContactIdentity(IdentityKind.Phone, "+447700900123"), message.Message.Sender);
        Assert.Equal([new ContactIdentity(IdentityKind.WhatsApp, "+447700900123")], message.SameContact);
    }
}
