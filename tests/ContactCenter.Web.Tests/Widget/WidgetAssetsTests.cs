using System.Net;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>One app (seeded demo data, its own SQLite file) shared by the read-only widget asset tests.</summary>
public sealed class WidgetAssetsHost : IDisposable
{
    public ContactCenterHost Host { get; } = new(new Dictionary<string, string?> { ["Seed:Demo"] = "true" });

    public void Dispose() => Host.Dispose();
}

public sealed class WidgetAssetsTests(WidgetAssetsHost fixture) : IClassFixture<WidgetAssetsHost>
{
    private readonly ContactCenterHost _host = fixture.Host;

    [Fact]
    public async Task WidgetJs_Anonymous_ServesJavaScriptBundle()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("widget.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "text/javascript", "application/javascript" });
        var script = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("/*! ContactCenter chat widget", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetJs_Bundle_IncludesSignalRClientAndShadowDom()
    {
        using var client = _host.CreateRealClient();
        var script = await client.GetStringAsync("widget.js");

        Assert.Contains("@microsoft/signalr", script, StringComparison.Ordinal);
        Assert.Contains("X-SignalR-User-Agent", script, StringComparison.Ordinal);
        Assert.Contains("attachShadow", script, StringComparison.Ordinal);
        Assert.Contains("data-inbox", script, StringComparison.Ordinal);
        Assert.Contains("api/v1/widget/sessions", script, StringComparison.Ordinal);
        Assert.Contains("hubs/chat", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetJs_Bundle_NeverParsesHtml()
    {
        using var client = _host.CreateRealClient();
        var script = await client.GetStringAsync("widget.js");

        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetDemo_Anonymous_EmbedsSeededWebsiteChatInbox()
    {
        var inboxId = await InboxIdAsync("Website chat");
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("widget-demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Acme Outfitters", html, StringComparison.Ordinal);
        Assert.Contains($"<script src=\"/widget.js\" data-inbox=\"{inboxId:D}\"", html, StringComparison.Ordinal);
        Assert.Contains("Website chat", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetDemo_Response_SendsContentSecurityPolicy()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("widget-demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task WidgetDemo_InboxOverride_EmbedsRequestedInbox()
    {
        var inbox = await _host.CreateInboxAsync("Zz override shop chat", ChannelKind.WebChat, null);
        using var client = _host.CreateRealClient();
        var html = await client.GetStringAsync($"widget-demo?inbox={inbox.Id.Value:D}");

        Assert.Contains($"data-inbox=\"{inbox.Id.Value:D}\"", html, StringComparison.Ordinal);
        Assert.Contains("Zz override shop chat", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetDemo_ScriptInInboxParameter_IsRefusedAndNotEchoed()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("widget-demo?inbox=" + Uri.EscapeDataString("<script>alert(1)</script>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WidgetDemo_UnknownInbox_Answers404()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync($"widget-demo?inbox={Guid.NewGuid():D}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not a web chat inbox", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetDemo_EmailInbox_Answers404()
    {
        var emailInbox = await InboxIdAsync("support@acme.example");
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync($"widget-demo?inbox={emailInbox:D}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void DemoPage_HostileInboxName_IsHtmlEncoded()
    {
        var html = WidgetAssetsEndpoints.DemoPage(Guid.Empty, "<img src=x onerror=alert(1)>", "/widget.js", "https://cc.example/widget.js");

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img", html, StringComparison.Ordinal);
    }

    private Task<Guid> InboxIdAsync(string name) =>
        _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.AsNoTracking().SingleAsync(i => i.Name == name);
            return inbox.Id.Value;
        });
}
