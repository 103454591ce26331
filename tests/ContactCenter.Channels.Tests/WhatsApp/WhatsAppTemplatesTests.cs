using System.Text.Json;
using ContactCenter.Application.Conversations.Templates;
using ContactCenter.Channels.Tests.Messaging;
using ContactCenter.Channels.WhatsApp;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;

namespace ContactCenter.Channels.Tests.WhatsApp;

/// <summary>The inbox setting 'templates' and template sends outside the 24-hour window.</summary>
public sealed class WhatsAppTemplatesTests
{
    private const string Setting = """
        [
          {"name":"order_update","language":"en_US","body":"Hi {{1}}, your order {{2}} has shipped.","params":2},
          {"name":"order_update","language":"zh_CN","body":"{{1}}，您好！您的订单 {{2}} 已发货。","params":2},
          {"name":"follow_up","language":"en","body":"We are still here if you need us.","params":0}
        ]
        """;

    private static readonly ContactIdentity Customer = ContactIdentity.Create(IdentityKind.WhatsApp, "+14155550100");

    [Fact]
    public void Parse_ValidSetting_ReturnsEveryTemplate()
    {
        var (templates, problems) = WhatsAppTemplates.Parse(Setting);

        Assert.Empty(problems);
        Assert.Equal(
            [("order_update", "en_US", 2), ("order_update", "zh_CN", 2), ("follow_up", "en", 0)],
            templates.Select(t => (t.Name, t.Language, t.Params)));
        Assert.Equal("Hi {{1}}, your order {{2}} has shipped.", templates[0].Body);
    }

    [Theory]
    [InlineData("not json at all", "invalid JSON")]
    [InlineData("""{"name":"x"}""", "not a JSON array")]
    public void Parse_MalformedSetting_IgnoresItWithAReason(string json, string reason)
    {
        var (templates, problems) = WhatsAppTemplates.Parse(json);

        Assert.Empty(templates);
        Assert.Contains(reason, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidEntries_AreSkippedAndTheValidOnesKept()
    {
        var (templates, problems) = WhatsAppTemplates.Parse("""
            [
              {"name":"Bad Name","language":"en","body":"Hi","params":0},
              {"name":"no_language","body":"Hi","params":0},
              {"name":"wrong_count","language":"en","body":"Hi {{1}} and {{3}}","params":2},
              {"name":"missing_params","language":"en","body":"Hi {{1}}"},
              "a string",
              {"name":"ok","language":"en","body":"Hi {{1}}","params":1},
              {"name":"ok","language":"en","body":"Again {{1}}","params":1}
            ]
            """);

        Assert.Equal("ok", Assert.Single(templates).Name);
        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.Contains("listed twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("entry 2:", StringComparison.Ordinal) && p.Contains("{{1}}…{{2}}", StringComparison.Ordinal));
    }

    [Fact]
    public void For_InboxWithBadJson_ReturnsNoTemplatesWithoutThrowing()
    {
        using var kit = new ChannelKit();
        var inbox = ChannelKit.Inbox(ChannelKind.WhatsApp, ("templates", "[{oops"));

        Assert.Empty(kit.Get<WhatsAppTemplates>().For(inbox));
        Assert.Empty(kit.Get<WhatsAppTemplates>().For(ChannelKit.Inbox(ChannelKind.WhatsApp)));
    }

    [Theory]
    [InlineData("Hi {{1}}, your order {{2}} has shipped.", new[] { "Olga", "#A-1042" })]
    [InlineData("{{1}} and {{1}} again, then {{2}}", new[] { "x, y", "z" })]
    [InlineData("{{2}} before {{1}}", new[] { "first", "second" })]
    public void Match_RenderedText_GivesBackTheParameters(string body, string[] parameters)
    {
        var template = new MessageTemplate("t", "en", body, 2);

        Assert.Equal(parameters, template.Match(template.Render(parameters)));
        Assert.Null(template.Match("something else entirely"));
    }

    [Fact]
    public void Match_AdjacentPlaceholders_CannotAlwaysBeToldApart_SoTheReplyHandlerRefusesSuchParameters()
    {
        var template = new MessageTemplate("t", "en", "Code: {{1}}{{2}}.", 2);

        // "a" + "bc" and "ab" + "c" render the same text; only the first split comes back.
        Assert.Equal(["a", "bc"], template.Match(template.Render(["ab", "c"])));
    }

    [Fact]
    public async Task SendAsync_TemplateOutsideTheWindow_PostsTheDocumentedTemplateMessage()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200,
            """{"messaging_product":"whatsapp","contacts":[{"input":"14155550100","wa_id":"14155550100"}],"messages":[{"id":"wamid.TPL1","message_status":"accepted"}]}"""));
        using var kit = Kit(graph);
        var template = WhatsAppTemplates.Parse(Setting).Templates[0];

        var delivery = kit.Delivery(Inbox(), Customer, template.Render(["Olga", "#A-1042"]), TimeSpan.FromHours(30), TemplateSends.ExternalId(template, "c1"));
        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(delivery, CancellationToken.None);

        Assert.Equal(("wamid.TPL1", true), (outcome.ProviderMessageId, outcome.Success));
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", "/v21.0/1122334455667/messages"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer EAAG-token", request.Headers["Authorization"]);
        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550100","type":"template","template":{"name":"order_update","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Olga"},{"type":"text","text":"#A-1042"}]}]}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(request.Body).RootElement));
    }

    [Fact]
    public async Task SendAsync_TemplateWithoutParameters_SendsNoComponents()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, """{"messages":[{"id":"wamid.TPL2"}]}"""));
        using var kit = Kit(graph);
        var template = WhatsAppTemplates.Parse(Setting).Templates[2];

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(
            kit.Delivery(Inbox(), Customer, template.Body, TimeSpan.FromDays(3), TemplateSends.ExternalId(template, "c2")), CancellationToken.None);

        Assert.True(outcome.Success);
        Assert.Equal(
            """{"name":"follow_up","language":{"code":"en"},"components":[]}""",
            JsonSerializer.Serialize(JsonDocument.Parse(Assert.Single(graph.Requests).Body).RootElement.GetProperty("template")));
    }

    [Fact]
    public async Task SendAsync_TemplateNoLongerInTheSetting_FailsPermanentlyWithoutCallingMeta()
    {
        await using var graph = await ProviderStandIn.StartAsync((_, c) => ProviderStandIn.Json(c, 200, "{}"));
        using var kit = Kit(graph);
        var removed = new MessageTemplate("spring_sale", "en", "Hi {{1}}", 1);

        var outcome = await kit.Sender(ChannelKind.WhatsApp).SendAsync(
            kit.Delivery(Inbox(), Customer, "Hi Olga", TimeSpan.FromHours(30), TemplateSends.ExternalId(removed, "c3")), CancellationToken.None);

        Assert.Equal((false, true), (outcome.Success, outcome.Permanent));
        Assert.Contains("spring_sale", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    private static ChannelKit Kit(ProviderStandIn graph) => WhatsAppSenderTests.Kit(graph);

    private static Domain.Inboxes.Inbox Inbox() =>
        ChannelKit.Inbox(ChannelKind.WhatsApp, ("phoneNumberId", "1122334455667"), ("accessTokenKey", "S:WaToken"), ("templates", Setting));
}
