using System.Net;
using ContactCenter.Testing;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Tests.Endpoints;

public sealed class SecurityHeadersTests : IDisposable
{
    private readonly ContactCenterHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("account/login")]
    [InlineData("health")]
    [InlineData("help")]
    [InlineData("console")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal(SecurityHeaders.DefaultPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", string.Join(",", response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetDemoPage_KeepsItsOwnStricterPolicy()
    {
        await _host.CreateInboxAsync("Website chat", ContactCenter.Domain.Common.ChannelKind.WebChat, null);
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("widget-demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }
}
