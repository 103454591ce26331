using System.Net;
using System.Security.Claims;
using Bunit;
using ContactCenter.Application.Audit;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using ContactCenter.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

/// <summary>
/// The API-tokens page over the real app's token service and database: create (the value shown once) → listed with its
/// last use → revoke → refused; an expiry chosen at creation is enforced when the token authenticates; both audited.
/// </summary>
public sealed class ApiTokensPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ContactCenterHost _host;
    private readonly BunitContext _context = new();
    private string _userId = "";

    public ApiTokensPageTests()
    {
        _host = new ContactCenterHost(time: _time);
    }

    public async Task InitializeAsync()
    {
        var agent = await _host.CreateAgentAsync("alice@test.local", "Alice Martin");
        _userId = agent.UserId;
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddSingleton<TimeProvider>(_time);
        // The page opens its own scopes: each resolves the real token service from a scope of the running app.
        _context.Services.AddScoped(_ => _host.Services.CreateScope().ServiceProvider.GetRequiredService<ApiTokenService>());
        var auth = _context.AddAuthorization();
        auth.SetAuthorized("alice@test.local");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _userId));
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _host.Dispose();
    }

    private async Task<HttpStatusCode> CallApiAsync(string token)
    {
        using var client = _host.CreateTokenClient(token);
        using var response = await client.GetAsync("api/v1/teams");
        return response.StatusCode;
    }

    [Fact]
    public async Task Create_ShownOnce_ListedWithLastUse_Revoke_Refused_Audited()
    {
        var page = _context.Render<ApiTokensPage>();
        page.WaitForElement("[data-testid=token-list]", Wait);
        page.Find("input[data-testid=token-name], [data-testid=token-name] input").Change("CI pipeline");
        page.Find("[data-testid=token-create]").Click();

        page.WaitForElement("input[data-testid=token-value], [data-testid=token-value] input", Wait);
        var token = page.Find("input[data-testid=token-value], [data-testid=token-value] input").GetAttribute("value") ?? "";
        Assert.StartsWith(ApiTokenService.Prefix, token, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=token-row]")), Wait);
        Assert.Equal("Never", page.Find("[data-testid=token-last-used]").TextContent.Trim());
        Assert.Equal(_time.GetUtcNow().AddDays(90).ToLocalTime().ToString("yyyy-MM-dd HH:mm"), page.Find("[data-testid=token-expires]").TextContent.Trim());

        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(token));

        // Opened again: listed with its last use, the value never shown again.
        var again = _context.Render<ApiTokensPage>();
        again.WaitForAssertion(() => Assert.NotEqual("Never", again.Find("[data-testid=token-last-used]").TextContent.Trim()), Wait);
        Assert.Empty(again.FindAll("[data-testid=token-created]"));
        Assert.DoesNotContain(token, again.Markup, StringComparison.Ordinal);

        again.Find("[data-testid=token-revoke]").Click();
        again.WaitForAssertion(() => Assert.Empty(again.FindAll("[data-testid=token-revoke]")), Wait);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallApiAsync(token));

        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(Action: "api_token.*"), CancellationToken.None));
        Assert.Equal([AuditActions.ApiTokenCreated, AuditActions.ApiTokenRevoked], audit.Select(a => a.Action).Order(StringComparer.Ordinal)); // same instant (frozen clock)
        Assert.All(audit, a => Assert.Equal(("alice@test.local", _userId), (a.ActorName, a.ActorId)));
        Assert.Contains("\"scopes\":\"read\"", audit.Single(a => a.Action == AuditActions.ApiTokenCreated).Details, StringComparison.Ordinal);
        Assert.DoesNotContain(token, string.Concat(audit.Select(a => a.Details)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiresAt_Passed_TokenRefused_PageSaysExpired()
    {
        var token = await _host.InScopeAsync(sp => sp.GetRequiredService<ApiTokenService>()
            .CreateAsync(_userId, "short", ApiScopes.Read, null, _time.GetUtcNow().AddHours(1), null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(token));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallApiAsync(token));

        var page = _context.Render<ApiTokensPage>();
        page.WaitForElement("[data-testid=token-expired]", Wait);
        Assert.Empty(page.FindAll("[data-testid=token-revoke]"));
    }
}
