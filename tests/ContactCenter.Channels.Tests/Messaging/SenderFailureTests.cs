using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Channels.Tests.Messaging;

/// <summary>
/// Every messaging sender against a stand-in provider that is down (503 with the provider's own error body) or too slow
/// (no answer within the attempt timeout): the resilient client retries (1 + Channels:Http:MaxRetries attempts), then
/// the send is a transient failure (the outbox backs off and tries again later) whose reason is the provider's.
/// </summary>
public sealed class SenderFailureTests
{
    public static TheoryData<ChannelKind> Channels => [ChannelKind.WhatsApp, ChannelKind.Messenger, ChannelKind.Telegram, ChannelKind.Sms, ChannelKind.WeChat];

    private static (Dictionary<string, string?> Settings, Domain.Inboxes.Inbox Inbox, ContactIdentity Recipient, string DownBody) Setup(ChannelKind channel, ProviderStandIn api) => channel switch
    {
        ChannelKind.WhatsApp => (
            new() { ["Channels:WhatsApp:BaseUrl"] = api.BaseUrl.ToString(), ["S:Token"] = "token" },
            ChannelKit.Inbox(channel, ("phoneNumberId", "PN1"), ("accessTokenKey", "S:Token")),
            ContactIdentity.Create(IdentityKind.WhatsApp, "+14155550100"),
            """{"error":{"message":"maintenance window","code":2}}"""),
        ChannelKind.Messenger => (
            new() { ["Channels:Messenger:BaseUrl"] = api.BaseUrl.ToString(), ["S:Token"] = "token" },
            ChannelKit.Inbox(channel, ("pageId", "PAGE1"), ("accessTokenKey", "S:Token")),
            ContactIdentity.Create(IdentityKind.Messenger, "PSID7"),
            """{"error":{"message":"maintenance window","code":2}}"""),
        ChannelKind.Telegram => (
            new() { ["Channels:Telegram:BaseUrl"] = api.BaseUrl.ToString(), ["S:Token"] = "123456:ABC" },
            ChannelKit.Inbox(channel, ("botTokenKey", "S:Token")),
            ContactIdentity.Create(IdentityKind.Telegram, "4242"),
            """{"ok":false,"error_code":503,"description":"maintenance window"}"""),
        ChannelKind.Sms => (
            new() { ["Channels:Twilio:BaseUrl"] = api.BaseUrl.ToString(), ["S:Token"] = "token" },
            ChannelKit.Inbox(channel, ("accountSid", "AC1"), ("authTokenKey", "S:Token"), ("fromNumber", "+15005550006")),
            ContactIdentity.Create(IdentityKind.Phone, "+14155550100"),
            """{"code":20500,"message":"maintenance window","status":503}"""),
        _ => (
            new() { ["Channels:WeChat:BaseUrl"] = api.BaseUrl.ToString(), ["S:Token"] = "secret" },
            ChannelKit.Inbox(channel, ("appId", "wx1"), ("appSecretKey", "S:Token")),
            ContactIdentity.Create(IdentityKind.WeChat, "oUser"),
            """{"errcode":-1,"errmsg":"maintenance window"}"""),
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_ProviderDown503_IsRetriedThenATransientFailureWithTheProvidersReason(ChannelKind channel)
    {
        string? body = null;
        await using var api = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 503, body!));
        var (settings, inbox, recipient, downBody) = Setup(channel, api);
        body = downBody;
        using var kit = new ChannelKit(settings);

        var outcome = await kit.Sender(channel).SendAsync(kit.Delivery(inbox, recipient, "Hi", TimeSpan.FromHours(1)), CancellationToken.None).Within("the send");

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Contains("maintenance window", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(3, api.Requests.Count); // 1 + Channels:Http:MaxRetries (2)
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_ProviderTooSlow_EachAttemptTimesOutThenATransientUnreachableFailure(ChannelKind channel)
    {
        await using var api = await ProviderStandIn.StartAsync(async (_, c) =>
            await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        var (settings, inbox, recipient, _) = Setup(channel, api);
        settings["Channels:Http:AttemptTimeout"] = "00:00:01";
        using var kit = new ChannelKit(settings);

        var outcome = await kit.Sender(channel).SendAsync(kit.Delivery(inbox, recipient, "Hi", TimeSpan.FromHours(1)), CancellationToken.None).Within("the send");

        Assert.Equal((false, false), (outcome.Success, outcome.Permanent));
        Assert.Contains("could not be reached", outcome.Error, StringComparison.Ordinal);
        await Waits.UntilAsync(() => Task.FromResult(api.Requests.Count == 3), "three attempts reached the stand-in");
    }
}
