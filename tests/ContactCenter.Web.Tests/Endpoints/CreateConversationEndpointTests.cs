using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Automation;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Tests.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Endpoints;

/// <summary>POST /api/v1/conversations: the ingest use case behind the REST API (docs/adr/019-api-conventions.md).</summary>
public sealed class CreateConversationEndpointTests : IDisposable
{
    private readonly ContactCenterHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<HttpClient> ClientAsync(string scope = ApiScopes.Write)
    {
        var admin = await _host.CreateAgentAsync($"ada{Guid.NewGuid():N}@t.local", "Ada", StaffRole.Admin);
        return _host.CreateTokenClient(await _host.InScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(admin.UserId, "t", scope, null, CancellationToken.None)));
    }

    private static HttpRequestMessage Post(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/conversations") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyMiddleware.Header, key);
        }

        return request;
    }

    private static object Body(Guid inboxId, string email = "cara@example.com", string text = "My order #42 never arrived", string? externalId = null) => new
    {
        inboxId,
        contact = new { name = "Cara", email, phone = "+1 415 555 0199" },
        subject = "Order #42",
        message = text,
        priority = "High",
        tags = new[] { "orders", "crm" },
        externalId,
    };

    [Fact]
    public async Task Post_NewContact_201StoredAndRouted()
    {
        var team = await _host.CreateTeamAsync("Support");
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, team.Id);
        await using var agent = await _host.ConnectAgentAsync("ana@t.local", "Ana", team.Id);
        using var client = await ClientAsync();

        using var response = await client.SendAsync(Post(Body(inbox.Id.Value))).Within("the creation");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/conversations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Order #42", json.RootElement.GetProperty("subject").GetString());
        Assert.Equal("Cara", json.RootElement.GetProperty("contactName").GetString());
        var conversation = await _host.ConversationAsync(id);
        Assert.Equal(ChannelKind.Api, conversation.Channel);
        Assert.Equal(Priority.High, conversation.Priority);
        Assert.Equal(["orders", "crm"], conversation.Tags);
        Assert.Equal(team.Id, conversation.TeamId);
        var contact = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId));
        Assert.Contains(ContactIdentity.Create(IdentityKind.Email, "cara@example.com"), contact.Identities);
        Assert.Contains(ContactIdentity.Create(IdentityKind.Phone, "+1 415 555 0199"), contact.Identities);
        await Waits.UntilAsync(async () => (await _host.ConversationAsync(id)).AssigneeId == agent.Agent.Id || agent.Offers.Any(o => o.Conversation.Id == id),
            "the new conversation to be routed to the online agent");
    }

    [Fact]
    public async Task Post_SameIdempotencyKey_ReplayedOnce_OtherBody422()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        using var client = await ClientAsync();

        using var first = await client.SendAsync(Post(Body(inbox.Id.Value), "k-1")).Within("the first call");
        using var again = await client.SendAsync(Post(Body(inbox.Id.Value), "k-1")).Within("the retry");
        using var other = await client.SendAsync(Post(Body(inbox.Id.Value, text: "Something else"), "k-1")).Within("the other body");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        using var page = JsonDocument.Parse(await client.GetStringAsync("api/v1/conversations").Within("the list"));
        Assert.Equal(1, page.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Post_WithKey_AnswerIsWhatAReadGives_ReplayIdentical()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        using var client = await ClientAsync();

        using var first = await client.SendAsync(Post(Body(inbox.Id.Value), "k-1")).Within("the first call");
        using var again = await client.SendAsync(Post(Body(inbox.Id.Value), "k-1")).Within("the retry");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        // The answer stored with the creation (composed inside its transaction) is byte for byte the one replayed…
        Assert.Equal(body, await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType, again.Content.Headers.ContentType);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        // …and the summary a read of the stored conversation gives (same fields, same stored precision of the times).
        using var page = JsonDocument.Parse(await client.GetStringAsync("api/v1/conversations").Within("the list"));
        Assert.Equal(body, Assert.Single(page.RootElement.GetProperty("items").EnumerateArray()).GetRawText());
    }

    [Fact]
    public async Task Post_WithKey_RuleTagsInline_AnswerShowsTheTagAndReplayEqualsIt()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        var rule = await _host.InScopeAsync(sp => sp.GetRequiredService<AutomationAdministration>().SaveRuleAsync(null,
            new SaveAutomationRule("Tag refunds", AutomationTrigger.MessageReceived, 0, true, [new AutomationCondition(ConditionField.MessageContains, "refund")],
                [new AutomationAction(AutomationActionKind.AddTag, "refund")]), CancellationToken.None));
        Assert.True(rule.IsSuccess, rule.Error?.Message);
        using var client = await ClientAsync();

        using var first = await client.SendAsync(Post(Body(inbox.Id.Value, text: "a refund please"), "k-1")).Within("the first call");
        using var again = await client.SendAsync(Post(Body(inbox.Id.Value, text: "a refund please"), "k-1")).Within("the retry");

        // The rule ran inline after the commit (in the request), so the answer — read again after it — shows its tag,
        // and the stored answer followed it: the replay is the same.
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Contains("refund", json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("true", again.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(body, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_SameKeyConcurrently_CreatedOnceEveryoneGetsTheSameAnswer()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        using var client = await ClientAsync();
        // No externalId: only the Idempotency-Key keeps the twins from creating twice.
        var body = new { inboxId = inbox.Id.Value, contact = new { name = "Cara", email = "cara@example.com" }, message = "Where is my parcel?" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(Post(body, "same-key")))).Within("eight concurrent calls");

        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
            Assert.Single(bodies.Distinct(StringComparer.Ordinal));
            Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
            Assert.Single(responses, r => !r.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
            using var page = JsonDocument.Parse(await client.GetStringAsync("api/v1/conversations").Within("the list"));
            Assert.Equal(1, page.RootElement.GetProperty("items").GetArrayLength());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Post_SameExternalId_ExistingConversation200()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        using var client = await ClientAsync();

        using var first = await client.SendAsync(Post(Body(inbox.Id.Value, externalId: "crm-7"))).Within("the first call");
        using var again = await client.SendAsync(Post(Body(inbox.Id.Value, externalId: "crm-7"))).Within("the retry without a key");
        using var another = await client.SendAsync(Post(Body(inbox.Id.Value, externalId: "crm-8"))).Within("another external id");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, another.StatusCode);
        using var a = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        using var c = JsonDocument.Parse(await another.Content.ReadAsStringAsync());
        Assert.Equal(a.RootElement.GetProperty("id").GetGuid(), b.RootElement.GetProperty("id").GetGuid());
        Assert.NotEqual(a.RootElement.GetProperty("id").GetGuid(), c.RootElement.GetProperty("id").GetGuid());
        Assert.Equal(a.RootElement.GetProperty("contactId").GetGuid(), c.RootElement.GetProperty("contactId").GetGuid());
    }

    [Theory]
    [InlineData("no-contact")]
    [InlineData("no-message")]
    [InlineData("bad-email")]
    [InlineData("not-api-inbox")]
    public async Task Post_Invalid_400Problem(string mistake)
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        var chat = await _host.CreateInboxAsync("Chat", ChannelKind.WebChat, null);
        using var client = await ClientAsync();
        object body = mistake switch
        {
            "no-contact" => new { inboxId = inbox.Id.Value, message = "Hi" },
            "no-message" => new { inboxId = inbox.Id.Value, contact = new { email = "x@example.com" } },
            "bad-email" => new { inboxId = inbox.Id.Value, contact = new { email = "not an email" }, message = "Hi" },
            _ => new { inboxId = chat.Id.Value, contact = new { email = "x@example.com" }, message = "Hi" },
        };

        using var response = await client.SendAsync(Post(body)).Within("the call");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("validation.", json.RootElement.GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ReadScopeToken_403NothingCreated()
    {
        var inbox = await _host.CreateInboxAsync("CRM", ChannelKind.Api, null);
        using var reader = await ClientAsync(ApiScopes.Read);

        using var response = await reader.SendAsync(Post(Body(inbox.Id.Value))).Within("the call");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var page = JsonDocument.Parse(await reader.GetStringAsync("api/v1/conversations").Within("the list"));
        Assert.Equal(0, page.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_ListsCreateConversationWithItsSchema()
    {
        using var client = _host.CreateRealClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json").Within("the API description"));

        var post = document.RootElement.GetProperty("paths").GetProperty("/api/v1/conversations").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("201", out _));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var request = schemas.GetProperty("CreateConversation").GetProperty("properties");
        foreach (var field in new[] { "inboxId", "contact", "subject", "message", "priority", "tags", "teamId", "externalId" })
        {
            Assert.True(request.TryGetProperty(field, out _), field);
        }
    }
}
