using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Channels.Tests.Messaging;

/// <summary>
/// A WhatsApp conversation end to end on a real host: the customer's webhook comes in, an agent replies, the outbox
/// dispatcher sends it through the WhatsApp sender to a stand-in Graph API, and Meta's status webhook moves it to read;
/// a refused reply ends failed with Meta's reason on the message (what the console shows).
/// </summary>
public sealed class MessagingRoundTripTests
{
    private const string Secret = "rt-meta-secret";

    private static ContactCenterHost Host(ProviderStandIn graph) => new(new Dictionary<string, string?>
    {
        ["Secrets:Meta:AppSecret"] = Secret,
        ["Secrets:Meta:Token"] = "rt-access-token",
        ["Channels:WhatsApp:BaseUrl"] = graph.BaseUrl + "v21.0/",
        ["Channels:Http:RetryDelay"] = "00:00:00.050",
        ["Channels:Http:MaxRetries"] = "1",
        ["Webhooks:PollInterval"] = "00:00:00.200",
        ["Outbox:PollInterval"] = "00:00:00.200",
    });

    private static async Task<Inbox> InboxAsync(ContactCenterHost host)
    {
        var inbox = Inbox.Create("WhatsApp shop", ChannelKind.WhatsApp, null).Value;
        inbox.SetSetting("appSecretKey", "Secrets:Meta:AppSecret");
        inbox.SetSetting("accessTokenKey", "Secrets:Meta:Token");
        inbox.SetSetting("phoneNumberId", "1122334455667");
        inbox.SetSetting("templates", """[{"name":"address_check","language":"en_US","body":"Hi {{1}}, we still need your new address for order {{2}}.","params":2},{"name":"pickup_code","language":"en","body":"Your code: {{1}}{{2}}.","params":2}]""");
        await host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
        });
        return inbox;
    }

    private static async Task PostSignedAsync(ContactCenterHost host, Inbox inbox, string body)
    {
        using var client = host.CreateRealClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
        using var response = await client.PostAsync($"webhooks/whatsapp/{inbox.Id.Value}", content).Within("webhook");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Value(string inner) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1122334455667"},{{{inner}}}}}]}]}""";

    private static async Task<MessageId> CustomerWritesThenAgentRepliesAsync(ContactCenterHost host, Inbox inbox, string reply, TemplateChoice? template = null, TimeSpan? customerWroteAgo = null)
    {
        await PostSignedAsync(host, inbox, Value("""
            "contacts":[{"profile":{"name":"Noa"},"wa_id":"14155550177"}],"messages":[{"from":"14155550177","id":"wamid.RT.IN","timestamp":"1700000000","type":"text","text":{"body":"Can I change my address?"}}]
            """));
        var conversationId = await WaitForAsync(host, db => db.Conversations.Where(c => c.InboxId == inbox.Id).Select(c => (ConversationId?)c.Id).FirstOrDefaultAsync(), "the customer's conversation");
        if (customerWroteAgo is { } ago)
        {
            // The customer's message as if it had come in that long ago: the 24-hour window is decided from it.
            var at = DateTimeOffset.UtcNow - ago;
            await host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages
                .Where(m => m.ConversationId == conversationId!.Value).ExecuteUpdateAsync(u => u.SetProperty(m => m.CreatedAt, at)));
        }

        var agent = await host.CreateAgentAsync($"rt-{Guid.NewGuid():N}@example.com", "Alice", StaffRole.Admin);
        var staff = new StaffMember(agent.Id, agent.UserId, "Alice", StaffRole.Admin, []);
        var sent = await host.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>().HandleAsync(staff, new SendAgentReply(conversationId!.Value, reply, false, null, template), CancellationToken.None));
        Assert.True(sent.IsSuccess, sent.Error?.Message);
        return sent.Value.MessageId;
    }

    private static async Task<T> WaitForAsync<T>(ContactCenterHost host, Func<IApplicationDbContext, Task<T?>> query, string what)
    {
        T? found = default;
        await Waits.UntilAsync(async () =>
        {
            found = await host.InScopeAsync(sp => query(sp.GetRequiredService<IApplicationDbContext>()));
            return found is not null;
        }, what);
        return found!;
    }

    private static Task<Message> WaitForDeliveryAsync(ContactCenterHost host, MessageId id, DeliveryStatus status) =>
        WaitForAsync(host, db => db.Messages.AsNoTracking().Where(m => m.Id == id && m.DeliveryStatus == status).FirstOrDefaultAsync(), $"reply {status}");

    [Fact]
    public async Task AgentReply_GoesOutThroughWhatsApp_AndMetasReadStatusReachesIt()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, """{"messaging_product":"whatsapp","messages":[{"id":"wamid.RT.OUT"}]}"""));
        using var host = Host(graph);
        var inbox = await InboxAsync(host);

        var replyId = await CustomerWritesThenAgentRepliesAsync(host, inbox, "Yes — send me the new one.");
        await WaitForDeliveryAsync(host, replyId, DeliveryStatus.Sent);
        await PostSignedAsync(host, inbox, Value("""
            "statuses":[{"id":"wamid.RT.OUT","status":"read","timestamp":"1700000100","recipient_id":"14155550177"}]
            """));
        await WaitForDeliveryAsync(host, replyId, DeliveryStatus.Read);

        var request = Assert.Single(graph.Requests);
        Assert.Equal("/v21.0/1122334455667/messages", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(("14155550177", "Yes — send me the new one."), (body.RootElement.GetProperty("to").GetString(), body.RootElement.GetProperty("text").GetProperty("body").GetString()));
        var outbox = await host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().SingleAsync(o => o.MessageId == replyId));
        Assert.Equal("wamid.RT.OUT", outbox.ProviderMessageId);
    }

    [Fact]
    public async Task AgentReply_RefusedByMeta_EndsFailedWithMetasReason()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 400,
            """{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}}"""));
        using var host = Host(graph);
        var inbox = await InboxAsync(host);

        var replyId = await CustomerWritesThenAgentRepliesAsync(host, inbox, "Hello?");
        var failed = await WaitForDeliveryAsync(host, replyId, DeliveryStatus.Failed);

        Assert.Contains("131047", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Contains("more than 24 hours have passed", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task TemplateReply_OutsideThe24HourWindow_GoesOutAsTheApprovedTemplateAndIsSent()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, """{"messaging_product":"whatsapp","messages":[{"id":"wamid.RT.TPL"}]}"""));
        using var host = Host(graph);
        var inbox = await InboxAsync(host);

        var replyId = await CustomerWritesThenAgentRepliesAsync(host, inbox, "", new TemplateChoice("address_check", "en_US", ["Noa", "#A-77"]), TimeSpan.FromHours(30));
        var sent = await WaitForDeliveryAsync(host, replyId, DeliveryStatus.Sent);

        Assert.Equal("Hi Noa, we still need your new address for order #A-77.", sent.Text);
        Assert.StartsWith("template:en_US:address_check:", sent.ExternalId, StringComparison.Ordinal);
        var request = Assert.Single(graph.Requests);
        Assert.Equal("/v21.0/1122334455667/messages", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550177","type":"template","template":{"name":"address_check","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Noa"},{"type":"text","text":"#A-77"}]}]}}""",
            JsonSerializer.Serialize(body.RootElement));
    }

    [Fact]
    public async Task FreeTextReply_OutsideThe24HourWindow_FailsWithTheTemplatesOnlyReasonWithoutCallingMeta()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, "{}"));
        using var host = Host(graph);
        var inbox = await InboxAsync(host);

        var replyId = await CustomerWritesThenAgentRepliesAsync(host, inbox, "Are you still there?", customerWroteAgo: TimeSpan.FromHours(30));
        var failed = await WaitForDeliveryAsync(host, replyId, DeliveryStatus.Failed);

        Assert.Equal(ContactCenter.Channels.WhatsApp.WhatsAppSender.WindowClosed, failed.DeliveryError);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task TemplateReply_UnknownTemplateWrongOrAmbiguousParametersOrPrivate_IsRefusedAndNothingIsStored()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, "{}"));
        using var host = Host(graph);
        var inbox = await InboxAsync(host);
        await PostSignedAsync(host, inbox, Value("""
            "contacts":[{"profile":{"name":"Noa"},"wa_id":"14155550177"}],"messages":[{"from":"14155550177","id":"wamid.RT.IN2","timestamp":"1700000000","type":"text","text":{"body":"Hi"}}]
            """));
        var conversationId = await WaitForAsync(host, db => db.Conversations.Where(c => c.InboxId == inbox.Id).Select(c => (ConversationId?)c.Id).FirstOrDefaultAsync(), "the customer's conversation");
        var agent = await host.CreateAgentAsync($"rt-{Guid.NewGuid():N}@example.com", "Alice", StaffRole.Admin);
        var staff = new StaffMember(agent.Id, agent.UserId, "Alice", StaffRole.Admin, []);

        async Task<string?> SendAsync(TemplateChoice choice) => (await host.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>()
            .HandleAsync(staff, new SendAgentReply(conversationId!.Value, "", false, null, choice), CancellationToken.None))).Error?.Code;

        Assert.Equal("validation.template.unknown", await SendAsync(new TemplateChoice("spring_sale", "en_US", ["x"])));
        Assert.Equal("validation.template.parameters", await SendAsync(new TemplateChoice("address_check", "en_US", ["Noa"])));
        Assert.Equal("validation.template.parameters", await SendAsync(new TemplateChoice("address_check", "en_US", ["Noa", "line\nbreak"])));
        Assert.Equal("validation.template.ambiguous", await SendAsync(new TemplateChoice("pickup_code", "en", ["ab", "c"])));
        Assert.Equal("validation.template.private", (await host.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>()
            .HandleAsync(staff, new SendAgentReply(conversationId!.Value, "", true, null, new TemplateChoice("pickup_code", "en", ["a", "b"])), CancellationToken.None))).Error?.Code);
        var stored = await host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync(m => m.ConversationId == conversationId!.Value));
        Assert.Equal(1, stored);
    }
}
