using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Sla;

/// <summary>The admin SLA API over the real host with the demo data (seeded calendar and policies) and an admin token.</summary>
public sealed class SlaEndpointsTests : IDisposable
{
    private const string AdminToken = "cc_test-sla-admin-token-0123456789";
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Seed:Demo"] = "true", ["Seed:ApiToken"] = AdminToken });

    public void Dispose() => _host.Dispose();

    private HttpClient Admin() => _host.CreateTokenClient(AdminToken);

    [Fact]
    public async Task List_DemoData_ShowsTheSeededCalendarAndPoliciesInOrder()
    {
        using var client = Admin();

        using var calendars = JsonDocument.Parse(await client.GetStringAsync("api/v1/admin/business-hours"));
        using var policies = JsonDocument.Parse(await client.GetStringAsync("api/v1/admin/sla-policies"));

        var office = Assert.Single(calendars.RootElement.EnumerateArray());
        Assert.Equal("Europe/London", office.GetProperty("timeZone").GetString());
        Assert.Equal(5, office.GetProperty("intervals").GetArrayLength());
        Assert.Equal("08:00", office.GetProperty("intervals")[0].GetProperty("start").GetString());
        Assert.Single(office.GetProperty("teamIds").EnumerateArray());
        Assert.Equal(["Live chat", "Standard"], policies.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(60, policies.RootElement[1].GetProperty("targets").GetProperty("Normal").GetProperty("firstResponseMinutes").GetInt32());
    }

    [Fact]
    public async Task DemoConversations_HaveSlaDueTimes()
    {
        using var client = Admin();

        using var list = JsonDocument.Parse(await client.GetStringAsync("api/v1/conversations"));

        Assert.Contains(list.RootElement.GetProperty("items").EnumerateArray(), c => c.GetProperty("sla").ValueKind == JsonValueKind.Object
            && c.GetProperty("sla").GetProperty("resolutionDueAt").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task CreateCalendar_UnknownTimeZone_IsAProblemWithItsCode()
    {
        using var client = Admin();

        using var response = await client.PostAsJsonAsync("api/v1/admin/business-hours", new
        {
            name = "Mars office",
            timeZone = "Mars/Olympus_Mons",
            intervals = new[] { new { day = "Monday", start = "09:00", end = "17:00" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("validation.business_hours.time_zone", problem.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("9am", "17:00", "validation.business_hours.interval")]
    [InlineData("17:00", "09:00", "validation.business_hours.interval")]
    public async Task CreateCalendar_BadInterval_IsAValidationProblem(string start, string end, string code)
    {
        using var client = Admin();

        using var response = await client.PostAsJsonAsync("api/v1/admin/business-hours", new
        {
            name = "Bad hours",
            timeZone = "Asia/Shanghai",
            intervals = new[] { new { day = "Monday", start, end } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreatePolicy_DuplicateNameOrZeroTarget_AreProblems()
    {
        using var client = Admin();

        using var duplicate = await client.PostAsJsonAsync("api/v1/admin/sla-policies", new
        {
            name = "Standard",
            order = 5,
            enabled = true,
            targets = new Dictionary<string, object> { ["Normal"] = new { firstResponseMinutes = 10 } },
        });
        using var zero = await client.PostAsJsonAsync("api/v1/admin/sla-policies", new
        {
            name = "Zero",
            order = 5,
            enabled = true,
            targets = new Dictionary<string, object> { ["Normal"] = new { firstResponseMinutes = 0 } },
        });

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        using var problem = JsonDocument.Parse(await zero.Content.ReadAsStringAsync());
        Assert.Equal("validation.sla_policy.target", problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreatePolicy_FirstInOrder_AppliesToTheNextMatchingConversation()
    {
        using var client = Admin();
        using var created = await client.PostAsJsonAsync("api/v1/admin/sla-policies", new
        {
            name = "VIP email",
            order = -1,
            enabled = true,
            conditions = new { channels = new[] { "Email" }, contactAttributes = new Dictionary<string, string> { ["plan"] = "gold" } },
            targets = new Dictionary<string, object> { ["Normal"] = new { firstResponseMinutes = 10, resolutionMinutes = 60 } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.Location);

        var inbox = await _host.CreateInboxAsync("VIP mail", ChannelKind.Email, null);
        var identity = ContactIdentity.Create(IdentityKind.Email, "gold@example.com");
        await _host.InScopeAsync(async sp =>
        {
            var handler = sp.GetRequiredService<ReceiveInboundMessageHandler>();
            var first = await handler.HandleAsync(new InboundMessage(inbox.Id, identity, "Goldie", "m-1", "Hello", Subject: "Hello"), CancellationToken.None);
            var db = sp.GetRequiredService<Application.Abstractions.IApplicationDbContext>();
            var contact = await db.FindContactByIdentityAsync(identity);
            contact!.SetAttribute("plan", "gold", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            Assert.True(first.IsSuccess);
        });
        var other = await _host.InScopeAsync(async sp => (await sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Email, "gold@example.com"), "Goldie", "m-2", "Another question", Subject: "Second topic"),
            CancellationToken.None)).Value!.ConversationId);

        using var detail = JsonDocument.Parse(await client.GetStringAsync($"api/v1/conversations/{other.Value}"));
        var summary = detail.RootElement.GetProperty("summary");
        var createdAt = summary.GetProperty("createdAt").GetDateTimeOffset();
        var sla = summary.GetProperty("sla");
        Assert.Equal(createdAt.AddMinutes(10), sla.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        Assert.Equal(createdAt.AddMinutes(60), sla.GetProperty("resolutionDueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AdminApi_AsAnAgent_IsForbidden()
    {
        await _host.CreateAgentAsync("agent@t.local", "Agent Smith", StaffRole.Agent);
        var cookies = await _host.SignInAsync("agent@t.local");
        using var client = _host.CreateRealClient(cookies);

        using var response = await client.GetAsync("api/v1/admin/sla-policies");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SetTeamCalendar_UnknownCalendar_IsAProblemAndKnownOneApplies()
    {
        using var client = Admin();
        var team = await _host.CreateTeamAsync("Night shift");
        using var calendars = JsonDocument.Parse(await client.GetStringAsync("api/v1/admin/business-hours"));
        var office = calendars.RootElement[0].GetProperty("id").GetGuid();

        using var unknown = await client.PutAsJsonAsync($"api/v1/admin/teams/{team.Id.Value}/business-hours", new { calendarId = Guid.NewGuid() });
        using var known = await client.PutAsJsonAsync($"api/v1/admin/teams/{team.Id.Value}/business-hours", new { calendarId = office });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        using var after = JsonDocument.Parse(await client.GetStringAsync("api/v1/admin/business-hours"));
        Assert.Contains(after.RootElement[0].GetProperty("teamIds").EnumerateArray(), t => t.GetGuid() == team.Id.Value);
    }
}
