using System.Text;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using Microsoft.AspNetCore.WebUtilities;

namespace ContactCenter.Channels.Tests.Twilio;

/// <summary>The SMS sender against a local stand-in for api.twilio.com.</summary>
public sealed class TwilioSenderTests
{
    private static readonly ContactIdentity Customer = ContactIdentity.Create(IdentityKind.Phone, "+14155550100");

    private static ChannelKit Kit(ProviderStandIn api) => new(new Dictionary<string, string?>
    {
        ["Channels:Twilio:BaseUrl"] = api.BaseUrl.ToString(),
        ["S:Twilio"] = "auth-token",
    });

    private static Domain.Inboxes.Inbox Inbox() => ChannelKit.Inbox(ChannelKind.Sms, ("accountSid", "AC0123"), ("authTokenKey", "S:Twilio"), ("fromNumber", "+15005550006"));

    [Fact]
    public async Task SendAsync_Reply_PostsTheDocumentedFormWithBasicAuth()
    {
        var sid = 0;
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 201, $$"""{"sid":"SM{{Interlocked.Increment(ref sid)}}","status":"queued"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Sms).SendAsync(kit.Delivery(Inbox(), Customer, "Your refund is on its way.", TimeSpan.FromHours(30)), CancellationToken.None);

        Assert.Equal((true, "SM1"), (outcome.Success, outcome.ProviderMessageId));
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/2010-04-01/Accounts/AC0123/Messages.json"), (request.Method, request.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123:auth-token")), request.Headers["Authorization"]);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal(("+14155550100", "+15005550006", "Your refund is on its way."), (form["To"].ToString(), form["From"].ToString(), form["Body"].ToString()));
    }

    [Fact]
    public async Task SendAsync_LongerThan1600Characters_GoesAsSeveralMessages()
    {
        var sid = 0;
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 201, $$"""{"sid":"SM{{Interlocked.Increment(ref sid)}}"}"""));
        using var kit = Kit(api);
        var text = string.Join(' ', Enumerable.Repeat("refund", 500)); // 3,499 characters

        var outcome = await kit.Sender(ChannelKind.Sms).SendAsync(kit.Delivery(Inbox(), Customer, text, TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.True(outcome.Success);
        var bodies = api.Requests.Select(r => QueryHelpers.ParseQuery(r.Body)["Body"].ToString()).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.All(bodies, b => Assert.True(b.Length <= 1600));
        Assert.Equal(text, string.Join(' ', bodies));
    }

    [Fact]
    public async Task SendAsync_InvalidNumber400_FailsPermanentlyWithTwiliosMessage()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 400,
            """{"code":21211,"message":"The 'To' number +1415555 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Sms).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("21211: The 'To' number +1415555 is not a valid phone number.", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TooManyRequests429_IsRetriedThenTransient()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 429, """{"code":20429,"message":"Too Many Requests","status":429}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Sms).SendAsync(kit.Delivery(Inbox(), Customer, "Hi", TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_WithAFile_FailsPermanentlySayingMmsIsNotSupported_WithoutCallingTwilio()
    {
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 201, """{"sid":"SM1"}"""));
        using var kit = Kit(api);

        var outcome = await kit.Sender(ChannelKind.Sms).SendAsync(
            kit.Delivery(Inbox(), Customer, "Label attached", TimeSpan.FromHours(1), attachments: [new("label.png", "image/png", 9, "a_label.png")]), CancellationToken.None);

        Assert.Equal((false, true, global::ContactCenter.Channels.Twilio.TwilioSender.MmsNotSupported), (outcome.Success, outcome.Permanent, outcome.Error));
        Assert.Empty(api.Requests);
    }
}
