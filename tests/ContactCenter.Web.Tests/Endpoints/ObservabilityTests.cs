using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using ContactCenter.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Endpoints;

/// <summary>Health, Prometheus metrics and the data-protection keys shared through the database.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private const string SeedToken = "cc_test-observability-token-0123456789";
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Seed:Demo"] = "true", ["Seed:ApiToken"] = SeedToken });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Health_Ready_ReportsDatabaseAndSearchHealthy()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("search").GetProperty("status").GetString());
        Assert.False(checks.TryGetProperty("redis", out _));
    }

    [Fact]
    public async Task Health_Live_AnswersWithoutChecks()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_Anonymous_Refused()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("metrics");
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Redirect });
    }

    [Fact]
    public async Task Metrics_AgentCookie_Forbidden()
    {
        var cookies = await _host.SignInAsync("alice@demo.local", "Demo!2345");
        using var client = _host.CreateRealClient(cookies);
        using var response = await client.GetAsync("metrics");
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Redirect });
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AdminToken_ScrapesTheContactCentersMeters()
    {
        var team = await _host.CreateTeamAsync("Metrics");
        var inbox = await _host.CreateInboxAsync("Metrics mail", ChannelKind.Email, team.Id);
        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.Email, "metrics@example.com"), "Mia", "m-1", "Hello"), CancellationToken.None));
        Assert.True(stored.IsSuccess);
        using var client = _host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SeedToken);

        // The exporter caches a scrape for a moment: ask until the new sample is in (bounded).
        string text = "";
        await Waits.UntilAsync(async () =>
        {
            using var response = await client.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            // ASP.NET Core records a request once it has been answered: the previous scrape shows up in the next.
            return text.Contains("cc_messages_received", StringComparison.Ordinal) && text.Contains("channel=\"email\"", StringComparison.Ordinal)
                && text.Contains("http_server_request_duration", StringComparison.Ordinal);
        }, "the email message and the earlier scrapes counted in /metrics");

        Assert.Contains("cc_routing_pass_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OnOneNode_CookieAcceptedByAnotherNodeOfTheSameDatabase()
    {
        _ = _host.BaseAddress;
        using var other = new ContactCenterHost(sharedDataDirectory: _host.DataDirectory);
        var cookies = await _host.SignInAsync("alice@demo.local", "Demo!2345");

        using var client = other.CreateRealClient(cookies);
        using var response = await client.GetAsync(new Uri(other.BaseAddress, "console"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The key ring is the database's (not the machine's key folder): what makes this work across machines.
        var keys = await _host.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().DataProtectionKeys.CountAsync());
        Assert.True(keys >= 1);
    }
}
