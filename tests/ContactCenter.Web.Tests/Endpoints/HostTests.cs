using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContactCenter.Testing;

namespace ContactCenter.Web.Tests.Endpoints;

public sealed class HostTests : IDisposable
{
    private const string SeedToken = "cc_test-seed-token-0123456789";
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Seed:Demo"] = "true", ["Seed:ApiToken"] = SeedToken });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Health_WhenReady_Answers200()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignInPage_Anonymous_RendersForm()
    {
        using var client = _host.CreateRealClient();
        var html = await client.GetStringAsync("account/login");
        Assert.Contains("<form method=\"post\" action=\"/account/signin\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("console")]
    [InlineData("supervisor")]
    public async Task StaffPages_Anonymous_RedirectToSignIn(string page)
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_RedirectsBackWithErrorAndNoCookie()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _host.SignInAsync("alice@demo.local", "wrong-password"));
        Assert.Contains("error=invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoAgent_OpensConsole()
    {
        var cookies = await _host.SignInAsync("alice@demo.local", "Demo!2345");
        using var client = _host.CreateRealClient(cookies);
        using var response = await client.GetAsync("console");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Supervisor_AsAgent_IsDenied()
    {
        var cookies = await _host.SignInAsync("alice@demo.local", "Demo!2345");
        using var client = _host.CreateRealClient(cookies);
        using var response = await client.GetAsync("supervisor");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutToken_Answers401()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithWrongToken_Answers401()
    {
        using var client = _host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cc_wrong");
        using var response = await client.GetAsync("api/v1/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithSeededToken_ListsDemoConversations()
    {
        using var client = _host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SeedToken);
        using var response = await client.GetAsync("api/v1/conversations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = json.RootElement.GetProperty("items");
        Assert.True(items.GetArrayLength() >= 4);
        Assert.Contains(items.EnumerateArray(), c => c.GetProperty("channel").GetString() == "WhatsApp");
    }

    [Fact]
    public async Task OpenApi_Describes_ApiV1()
    {
        using var client = _host.CreateRealClient();
        var text = await client.GetStringAsync("openapi/v1.json");
        using var json = JsonDocument.Parse(text);
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/conversations", paths);
        Assert.Contains("/api/v1/widget/sessions", paths);
        Assert.Contains("/api/v1/contacts", paths);
        Assert.Contains("/api/v1/conversations/{id}/messages", paths);
    }

    [Fact]
    public async Task ApiReference_ScalarPage_Served()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("scalar/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchRelay_ByDefault_IsNotMapped()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.PostAsync("bench/relay/negotiate?negotiateVersion=1", null);
        // Unmapped: no negotiation happens (anonymous requests to unknown paths are sent to sign-in).
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("connectionId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/v1/widget/sessions")]
    [InlineData("hubs/chat/negotiate")]
    public async Task WidgetEndpoints_CrossOriginPreflight_AllowedWithoutCredentials(string path)
    {
        using var client = _host.CreateRealClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task StaffApi_CrossOrigin_GetsNoCorsHeaders()
    {
        using var client = _host.CreateRealClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/v1/conversations");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task WidgetSession_UnknownInbox_Answers404Problem()
    {
        using var client = _host.CreateRealClient();
        using var content = new StringContent($"{{\"inboxId\":\"{Guid.NewGuid()}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("api/v1/widget/sessions", content);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
