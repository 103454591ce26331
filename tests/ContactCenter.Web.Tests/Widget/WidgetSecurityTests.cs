using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>
/// Identity verification (HMAC of the host site's user id), allowed origins and per-visitor message limits, over the real
/// app (Kestrel on loopback, its own SQLite file). Every refusal is checked to have stored nothing.
/// </summary>
public sealed class WidgetSecurityTests : IAsyncLifetime
{
    private const string Secret = "test-widget-secret-0123456789";
    private const string SecretKey = "Widget:Secrets:Shop";
    private const string ShopOrigin = "https://shop.example";

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        [SecretKey] = Secret,
        ["Widget:MessageRateLimit:PermitLimit"] = "5",
        ["Widget:MessageRateLimit:Window"] = "00:01:00",
    });

    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Shop chat", ChannelKind.WebChat, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task ConfigureInboxAsync(params (string Key, string? Value)[] settings) =>
        _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == _inbox.Id);
            foreach (var (key, value) in settings)
            {
                inbox.SetSetting(key, value);
            }

            await db.SaveChangesAsync();
        });

    private Task RequireIdentityAsync() => ConfigureInboxAsync(
        (WidgetInboxPolicy.IdentitySecretKeySetting, SecretKey),
        (WidgetInboxPolicy.RequireIdentitySetting, "true"));

    private async Task<HttpResponseMessage> PostSessionAsync(WidgetSessionRequest request, string? origin = null)
    {
        using var client = _host.CreateRealClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/widget/sessions") { Content = JsonContent.Create(request) };
        if (origin is not null)
        {
            message.Headers.Add("Origin", origin);
        }

        return await client.SendAsync(message);
    }

    private async Task<WidgetSessionResponse> SessionAsync(WidgetSessionRequest request, string? origin = null)
    {
        using var response = await PostSessionAsync(request, origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
    }

    private Task<int> ContactCountAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.CountAsync());

    private Task<int> MessageCountAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync());

    private static async Task<(int Status, string Code, string Detail)> ProblemAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var code = json.RootElement.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
        var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        return ((int)response.StatusCode, code, detail);
    }

    // ------------------------------------------------------------ identity

    [Fact]
    public void IdentityHashes_Verify_AcceptsOwnHashInEitherCase_RefusesOthers()
    {
        var hash = IdentityHashes.Compute(Secret, "user-42");

        Assert.Equal(64, hash.Length);
        Assert.True(IdentityHashes.Verify(Secret, "user-42", hash));
        Assert.True(IdentityHashes.Verify(Secret, "user-42", hash.ToUpperInvariant()));
        Assert.False(IdentityHashes.Verify(Secret, "user-43", hash));
        Assert.False(IdentityHashes.Verify("another-secret", "user-42", hash));
        Assert.False(IdentityHashes.Verify(Secret, "user-42", hash[..^2]));
        Assert.False(IdentityHashes.Verify(Secret, "user-42", "zz" + hash[2..]));
        Assert.False(IdentityHashes.Verify(Secret, "user-42", null));
    }

    [Fact]
    public async Task Session_IdentityRequired_NoUser_Refused401_StoresNothing()
    {
        await RequireIdentityAsync();
        var before = await ContactCountAsync();

        using var response = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Anonymous"));

        var problem = await ProblemAsync(response);
        Assert.Equal(401, problem.Status);
        Assert.Equal("unauthorized.identity_required", problem.Code);
        Assert.Contains("signed-in users", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await ContactCountAsync());
    }

    [Fact]
    public async Task Session_ForgedHash_Refused403_StoresNothing()
    {
        await RequireIdentityAsync();
        var before = await ContactCountAsync();
        var forged = IdentityHashes.Compute("guessed-secret", "user-42");

        using var response = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Mallory", "user-42", forged));

        var problem = await ProblemAsync(response);
        Assert.Equal(403, problem.Status);
        Assert.Equal("forbidden.identity_invalid", problem.Code);
        Assert.Equal(before, await ContactCountAsync());
    }

    [Fact]
    public async Task Session_ForgedHash_RefusedEvenWhereIdentityIsOptional()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.IdentitySecretKeySetting, SecretKey));
        var before = await ContactCountAsync();

        using var response = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Mallory", "user-42", new string('a', 64)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await ContactCountAsync());
        var anonymous = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Visitor"));
        Assert.False(anonymous.Verified);
    }

    [Fact]
    public async Task Session_RequiredButNoSecretConfigured_Refused()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.IdentitySecretKeySetting, "Widget:Secrets:Missing"), (WidgetInboxPolicy.RequireIdentitySetting, "true"));

        using var response = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Pat", "user-1", IdentityHashes.Compute(Secret, "user-1")));

        var problem = await ProblemAsync(response);
        Assert.Equal(403, problem.Status);
        Assert.Equal("forbidden.identity_not_configured", problem.Code);
    }

    [Fact]
    public async Task Session_VerifiedUser_OnTwoDevices_IsOneContact_WithHistoryFollowing()
    {
        await RequireIdentityAsync();
        var hash = IdentityHashes.Compute(Secret, "user-42");

        var laptop = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Vera Verified", "user-42", hash));
        var phone = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, null, "user-42", hash));

        Assert.True(laptop.Verified);
        Assert.True(phone.Verified);
        Assert.Equal(laptop.ContactId, phone.ContactId);
        Assert.Equal("Vera Verified", phone.ContactName);
        var identities = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.AsNoTracking()
            .Where(c => c.Id == new ContactId(laptop.ContactId)).Select(c => c.Identities).SingleAsync());
        Assert.Contains(identities, i => i.Kind == IdentityKind.External && i.Value == $"inbox:{_inbox.Id.Value:D}:user-42");

        await using var fromLaptop = _host.CustomerConnection(laptop.VisitorToken);
        await fromLaptop.StartAsync().Within("laptop connect");
        await fromLaptop.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("m-1", "Written on my laptop")).Within("send");

        await using var fromPhone = _host.CustomerConnection(phone.VisitorToken);
        await fromPhone.StartAsync().Within("phone connect");
        var history = await fromPhone.InvokeAsync<List<Application.Realtime.ChatMessageDto>>(nameof(ChatHub.GetHistory)).Within("history");
        Assert.Equal(["Written on my laptop"], history.Select(m => m.Text).ToArray());
    }

    [Fact]
    public async Task Hub_IdentityRequiredAfterAnonymousTokenIssued_ConnectionRefused_NothingStored()
    {
        var anonymous = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Early bird"));
        await RequireIdentityAsync();

        await using var connection = _host.CustomerConnection(anonymous.VisitorToken);
        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => connection.StartAsync().Within("connect"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(0, await MessageCountAsync());
    }

    // ------------------------------------------------------------- origins

    [Fact]
    public async Task Session_WrongOrigin_Refused403_StoresNothing_AllowedOriginAccepted()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.AllowedOriginsSetting, $"{ShopOrigin}, https://www.shop.example"));
        var before = await ContactCountAsync();

        using (var wrong = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Eve"), "https://evil.example"))
        {
            var problem = await ProblemAsync(wrong);
            Assert.Equal(403, problem.Status);
            Assert.Equal("forbidden.origin", problem.Code);
            // The refusal is readable by the widget on the other site (CORS headers on the error too).
            Assert.True(wrong.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using (var missing = await PostSessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Script")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        }

        Assert.Equal(before, await ContactCountAsync());
        var allowed = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Shopper"), "https://SHOP.example");
        Assert.Equal(before + 1, await ContactCountAsync());
        Assert.Equal("Shopper", allowed.ContactName);
    }

    [Fact]
    public async Task Hub_WrongOrigin_NegotiateRefused403_AllowedOriginNegotiates()
    {
        var session = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Shopper"));
        await ConfigureInboxAsync((WidgetInboxPolicy.AllowedOriginsSetting, ShopOrigin));

        async Task<HttpStatusCode> NegotiateAsync(string origin)
        {
            using var client = _host.CreateRealClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "hubs/chat/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", origin);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.VisitorToken);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://evil.example"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(ShopOrigin));
    }

    // ---------------------------------------------------------- rate limit

    [Fact]
    public async Task SendMessage_BurstOverLimit_RefusedWithRateLimited_OnlyAllowedStored()
    {
        var session = await SessionAsync(new WidgetSessionRequest(_inbox.Id.Value, null, "Chatty"));
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("connect");

        var accepted = 0;
        var refused = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            try
            {
                await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest($"burst-{i}", $"Message {i}")).Within("send");
                accepted++;
            }
            catch (HubException ex)
            {
                refused.Add(ex.Message);
            }
        }

        Assert.Equal(5, accepted);
        Assert.Equal(3, refused.Count);
        Assert.All(refused, m => Assert.Contains("rate_limited: Too many messages", m, StringComparison.Ordinal));
        Assert.Equal(5, await MessageCountAsync());
    }

    // ------------------------------------------------------ knowledge, CORS

    [Fact]
    public async Task WidgetConfigAndKnowledge_FromAnotherSite_CarryCorsHeaders()
    {
        using var client = _host.CreateRealClient();
        foreach (var path in new[] { $"api/v1/widget/config/{_inbox.Id.Value}", "api/v1/widget/kb/search?q=password&locale=en" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", "https://anywhere.example");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
        }
    }
}
