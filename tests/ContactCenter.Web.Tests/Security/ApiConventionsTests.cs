using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Security;

/// <summary>docs/adr/014: cursor pagination, problem details for every error, Idempotency-Key, rate limits (429 + Retry-After).</summary>
public sealed class ApiConventionsTests : IDisposable
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerMinute"] = "3",
        ["RateLimits:WidgetSessionsPerMinute"] = "2",
        ["RateLimits:WebhooksPerMinute"] = "2",
        ["RateLimits:ApiPerMinute"] = "40",
    });

    public void Dispose() => _host.Dispose();

    private async Task<string> AdminTokenAsync(string scope = ApiScopes.Admin)
    {
        var admin = await _host.CreateAgentAsync($"ada{Guid.NewGuid():N}@t.local", "Ada", StaffRole.Admin);
        return await _host.InScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(admin.UserId, "t", scope, null, CancellationToken.None));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Errors_401_403_404_400_422_AreProblemDetails()
    {
        using var anonymous = _host.CreateRealClient();
        using var unauthorized = await anonymous.GetAsync("api/v1/conversations");
        await AssertProblemAsync(unauthorized, HttpStatusCode.Unauthorized);

        using var reader = _host.CreateTokenClient(await AdminTokenAsync(ApiScopes.Read));
        using var forbidden = await reader.PostAsJsonAsync("api/v1/canned-responses", new { shortcut = "x", title = "x", text = "x" });
        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);

        using var admin = _host.CreateTokenClient(await AdminTokenAsync());
        using var notFound = await admin.GetAsync($"api/v1/conversations/{Guid.NewGuid()}");
        await AssertProblemAsync(notFound, HttpStatusCode.NotFound);
        using var badCursor = await admin.GetAsync("api/v1/conversations?cursor=not-a-cursor");
        await AssertProblemAsync(badCursor, HttpStatusCode.BadRequest);
        using var badJson = await admin.PostAsync("api/v1/canned-responses", new StringContent("{", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(badJson, HttpStatusCode.BadRequest);
        using var noRoute = await admin.GetAsync("api/v1/nothing-here");
        await AssertProblemAsync(noRoute, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Teams_PagedByCursor_EveryTeamOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            await _host.CreateTeamAsync($"Team {i}");
        }

        using var admin = _host.CreateTokenClient(await AdminTokenAsync());
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var json = JsonDocument.Parse(await admin.GetStringAsync($"api/v1/teams?limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"));
            seen.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
            cursor = json.RootElement.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Team {i}"), seen);
    }

    [Fact]
    public async Task IdempotencyKey_SameBodyReplayed_OtherBody422_NothingCreatedTwice()
    {
        using var admin = _host.CreateTokenClient(await AdminTokenAsync());
        HttpRequestMessage Create(string text)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/canned-responses") { Content = JsonContent.Create(new { shortcut = "hello", title = "Hello", text }) };
            request.Headers.Add(IdempotencyMiddleware.Header, "key-1");
            return request;
        }

        using var first = await admin.SendAsync(Create("Hi!"));
        using var again = await admin.SendAsync(Create("Hi!"));
        using var other = await admin.SendAsync(Create("Different"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("true", again.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        using var list = JsonDocument.Parse(await admin.GetStringAsync("api/v1/canned-responses"));
        Assert.Equal(1, list.RootElement.GetArrayLength());
    }

    private static async Task AssertRateLimitedAsync(Func<Task<HttpResponseMessage>> call, int permitted)
    {
        for (var i = 0; i < permitted; i++)
        {
            using var ok = await call();
            Assert.NotEqual(HttpStatusCode.TooManyRequests, ok.StatusCode);
        }

        using var limited = await call();
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task SignIn_OverLimit_429WithRetryAfter()
    {
        using var client = _host.CreateRealClient();
        await AssertRateLimitedAsync(() => client.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "x", ["password"] = "y" })), 3);
    }

    [Fact]
    public async Task WidgetSessions_OverLimit_429WithRetryAfter()
    {
        var inbox = await _host.CreateInboxAsync("Chat", ChannelKind.WebChat, null);
        using var client = _host.CreateRealClient();
        await AssertRateLimitedAsync(() => client.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inbox.Id.Value, null, "V")), 2);
    }

    [Fact]
    public async Task Webhooks_OverLimit_429WithRetryAfter()
    {
        using var client = _host.CreateRealClient();
        var inbox = Guid.NewGuid();
        await AssertRateLimitedAsync(() => client.PostAsync($"webhooks/telegram/{inbox}", new StringContent("{}", Encoding.UTF8, "application/json")), 2);
    }

    [Fact]
    public async Task Api_OverLimit_429WithRetryAfter_PerCaller()
    {
        using var admin = _host.CreateTokenClient(await AdminTokenAsync());
        await AssertRateLimitedAsync(() => admin.GetAsync("api/v1/teams"), 40);
        using var other = _host.CreateTokenClient(await AdminTokenAsync());
        using var fresh = await other.GetAsync("api/v1/teams");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }
}
