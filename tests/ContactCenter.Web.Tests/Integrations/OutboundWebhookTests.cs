using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Integrations;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Integrations;

/// <summary>Outbound webhooks end to end: the real app delivering to a real Kestrel receiver on loopback.</summary>
public sealed class OutboundWebhookTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["Integrations:Webhooks:PollInterval"] = "00:00:00.200",
        ["Integrations:Webhooks:InitialBackoff"] = "00:00:00.100",
        ["Integrations:Webhooks:MaxBackoff"] = "00:00:00.300",
        ["Integrations:Webhooks:MaxAttempts"] = "3",
        ["Integrations:Webhooks:Timeout"] = "00:00:01",
    });

    private WebhookReceiver _receiver = default!;
    private CookieContainer _admin = default!;
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Mail", ChannelKind.Email, team.Id);
        await _host.CreateAgentAsync("admin@test.local", "Ada", StaffRole.Admin, team.Id);
        await _host.CreateAgentAsync("sam@test.local", "Sam", StaffRole.Supervisor, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", StaffRole.Agent, team.Id);
        _admin = await _host.SignInAsync("admin@test.local");
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _host.Dispose();
    }

    private async Task<CreatedWebhookSubscription> SubscribeAsync(params string[] events)
    {
        using var http = _host.CreateRealClient(_admin);
        using var response = await http.PostAsJsonAsync("api/v1/webhook-subscriptions", new WebhookSubscriptionInput(_receiver.Url.ToString(), events, "CRM"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedWebhookSubscription>())!;
    }

    private Task IngestAsync(string text) => _host.InScopeAsync(sp =>
        sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.Email, "customer@example.org"), "Carla", "<" + Guid.NewGuid() + "@example.org>", text), CancellationToken.None));

    private async Task<WebhookDelivery> DeliveryAsync(Guid id) =>
        await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id));

    private async Task<List<WebhookAttempt>> AttemptsAsync(Guid id) =>
        await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Number).ToListAsync());

    private async Task<Guid> SendTestAsync(Guid subscriptionId)
    {
        using var http = _host.CreateRealClient(_admin);
        using var response = await http.PostAsync($"api/v1/webhook-subscriptions/{subscriptionId}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
    }

    /// <summary>The receiver's side of the documented scheme, written out independently of the app's code.</summary>
    private static bool SignatureValid(string secret, ReceivedWebhook hook)
    {
        var parts = hook.Headers["X-ContactCenter-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{hook.Body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
    }

    [Fact]
    public async Task MessageCreated_Subscribed_DeliveredSignedWithEventAndDeliveryHeaders()
    {
        var created = await SubscribeAsync(WebhookEvents.MessageCreated);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);

        await IngestAsync("Where is my parcel?");
        await Waits.UntilAsync(() => Task.FromResult(!_receiver.Received.IsEmpty), "the message.created delivery");

        var hook = Assert.Single(_receiver.Received);
        Assert.True(SignatureValid(created.Secret, hook), "signature per the documented scheme");
        Assert.False(SignatureValid("whsec_wrong", hook));
        Assert.Equal("message.created", hook.Headers["X-ContactCenter-Event"]);
        using var body = JsonDocument.Parse(hook.Body);
        Assert.Equal("message.created", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(hook.Headers["X-ContactCenter-Delivery"], body.RootElement.GetProperty("id").GetGuid().ToString());
        Assert.Equal("Where is my parcel?", body.RootElement.GetProperty("data").GetProperty("message").GetProperty("text").GetString());

        // conversation.created was raised by the same save but nobody subscribed to it: no row, nothing sent.
        var events = await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookDeliveries.Select(d => d.Event).ToListAsync());
        Assert.Equal(["message.created"], events);
        var delivery = await DeliveryAsync(Guid.Parse(hook.Headers["X-ContactCenter-Delivery"]));
        await Waits.UntilAsync(async () => (await DeliveryAsync(delivery.Id)).Status == WebhookDeliveryStatus.Delivered, "marked delivered");
    }

    [Fact]
    public async Task Test_ReceiverFailsThenTimesOut_RetriedUntilDeliveredAndEveryAttemptLogged()
    {
        var created = await SubscribeAsync(WebhookEvents.ConversationResolved);
        _receiver.Then(500, body: new string('x', 3000));
        _receiver.Then(200, delay: TimeSpan.FromSeconds(5));
        _receiver.Then(204);

        var id = await SendTestAsync(created.Subscription.Id);
        await Waits.UntilAsync(async () => (await DeliveryAsync(id)).Status == WebhookDeliveryStatus.Delivered, "delivered on the third attempt");

        var attempts = await AttemptsAsync(id);
        Assert.Equal([500, null, 204], attempts.Select(a => a.StatusCode));
        Assert.Equal(WebhookAttempt.MaxResponseLength, attempts[0].ResponseBody!.Length);
        Assert.Contains("No answer within", attempts[1].Error, StringComparison.Ordinal);
        Assert.True(attempts[1].DurationMs >= 900, $"the timed-out attempt took {attempts[1].DurationMs} ms");
        Assert.All(_receiver.Received, h => Assert.Equal(id.ToString(), h.Headers["X-ContactCenter-Delivery"]));
        Assert.All(_receiver.Received, h => Assert.True(SignatureValid(created.Secret, h)));
        Assert.Equal("ping", _receiver.Received.First().Headers["X-ContactCenter-Event"]);

        using var http = _host.CreateRealClient(_admin);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var log = await http.GetFromJsonAsync<List<WebhookDeliveryDto>>($"api/v1/webhook-subscriptions/{created.Subscription.Id}/deliveries", json);
        Assert.Equal(3, Assert.Single(log!).AttemptLog.Count);
    }

    [Fact]
    public async Task Test_ReceiverAlwaysFails_MarkedFailedAfterMaxAttempts()
    {
        var created = await SubscribeAsync(WebhookEvents.MessageCreated);
        for (var i = 0; i < 5; i++)
        {
            _receiver.Then(503);
        }

        var id = await SendTestAsync(created.Subscription.Id);
        await Waits.UntilAsync(async () => (await DeliveryAsync(id)).Status == WebhookDeliveryStatus.Failed, "failed for good");

        var delivery = await DeliveryAsync(id);
        Assert.Equal((3, 503), (delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(3, (await AttemptsAsync(id)).Count);
        Assert.Equal(3, _receiver.Received.Count);
    }

    [Fact]
    public async Task Subscriptions_NonAdmin_Refused()
    {
        var input = new WebhookSubscriptionInput(_receiver.Url.ToString(), [WebhookEvents.MessageCreated]);
        foreach (var email in new[] { "sam@test.local", "alice@test.local" })
        {
            using var http = _host.CreateRealClient(await _host.SignInAsync(email));
            using var list = await http.GetAsync("api/v1/webhook-subscriptions");
            using var create = await http.PostAsJsonAsync("api/v1/webhook-subscriptions", input);
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.StatusCode, create.StatusCode));
        }

        using var anonymous = _host.CreateRealClient();
        using var refused = await anonymous.PostAsJsonAsync("api/v1/webhook-subscriptions", input);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookSubscriptions.CountAsync()));
    }

    [Fact]
    public async Task Create_InvalidUrlOrEvent_ProblemAndAuditedWhenValid()
    {
        using var http = _host.CreateRealClient(_admin);
        using var badUrl = await http.PostAsJsonAsync("api/v1/webhook-subscriptions", new WebhookSubscriptionInput("ftp://example.org/x", [WebhookEvents.MessageCreated]));
        using var badEvent = await http.PostAsJsonAsync("api/v1/webhook-subscriptions", new WebhookSubscriptionInput(_receiver.Url.ToString(), ["message.deleted"]));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badUrl.StatusCode, badEvent.StatusCode));

        var created = await SubscribeAsync(WebhookEvents.CsatReceived);
        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<Application.Audit.IAuditDbContext>().AuditLog.AsNoTracking()
            .Where(e => e.Action == "webhook_subscription.created").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal((created.Subscription.Id.ToString(), "admin@test.local"), (entry.Target, entry.ActorName));
        Assert.DoesNotContain(created.Secret, entry.Details ?? "", StringComparison.Ordinal);
        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookSubscriptions.AsNoTracking().SingleAsync());
        Assert.DoesNotContain(created.Secret, stored.ProtectedSecret, StringComparison.Ordinal);
    }
}
