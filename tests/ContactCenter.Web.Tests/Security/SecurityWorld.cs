using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Security;

/// <summary>Who calls: nobody, a widget visitor, the three staff roles, and the admin's API tokens of each scope.</summary>
public enum Caller
{
    Anonymous,
    Visitor,
    Agent,
    Supervisor,
    Admin,
    TokenRead,
    TokenWrite,
    TokenAdmin,
}

/// <summary>
/// One contact center with two teams, an agent in each, a supervisor, an admin with API tokens of every scope,
/// and a widget visitor: the callers of the authorisation matrix and the IDOR tests. Limits are raised so the
/// many requests are not rate-limited.
/// </summary>
public sealed class SecurityWorld : IAsyncLifetime
{
    public ContactCenterHost Host { get; } = new(new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerMinute"] = "10000",
        ["RateLimits:ApiPerMinute"] = "100000",
        ["RateLimits:WidgetSessionsPerMinute"] = "10000",
    });

    public Team Support { get; private set; } = null!;
    public Team Billing { get; private set; } = null!;
    public Inbox SupportChat { get; private set; } = null!;
    public Inbox BillingChat { get; private set; } = null!;
    public Agent AgentProfile { get; private set; } = null!;
    public Agent BillingAgentProfile { get; private set; } = null!;
    public string VisitorToken { get; private set; } = "";
    public Guid VisitorContactId { get; private set; }
    public string BillingAgentCookie { get; private set; } = "";
    public CookieContainer BillingAgentCookies { get; private set; } = null!;

    private readonly Dictionary<Caller, CookieContainer> _cookies = [];
    private readonly Dictionary<Caller, string> _tokens = [];

    public async Task InitializeAsync()
    {
        Support = await Host.CreateTeamAsync("Support");
        Billing = await Host.CreateTeamAsync("Billing");
        SupportChat = await Host.CreateInboxAsync("Support chat", ChannelKind.WebChat, Support.Id);
        BillingChat = await Host.CreateInboxAsync("Billing chat", ChannelKind.WebChat, Billing.Id);
        AgentProfile = await Host.CreateAgentAsync("agent@t.local", "Agnes", StaffRole.Agent, Support.Id);
        BillingAgentProfile = await Host.CreateAgentAsync("billing@t.local", "Bill", StaffRole.Agent, Billing.Id);
        await Host.CreateAgentAsync("super@t.local", "Sue", StaffRole.Supervisor, Support.Id);
        var admin = await Host.CreateAgentAsync("admin@t.local", "Ada", StaffRole.Admin);
        _cookies[Caller.Agent] = await Host.SignInAsync("agent@t.local");
        _cookies[Caller.Supervisor] = await Host.SignInAsync("super@t.local");
        _cookies[Caller.Admin] = await Host.SignInAsync("admin@t.local");
        BillingAgentCookies = await Host.SignInAsync("billing@t.local");
        BillingAgentCookie = BillingAgentCookies.GetCookieHeader(Host.BaseAddress);
        await Host.InScopeAsync(async sp =>
        {
            var tokens = sp.GetRequiredService<ApiTokenService>();
            _tokens[Caller.TokenRead] = await tokens.CreateAsync(admin.UserId, "read", ApiScopes.Read, null, CancellationToken.None);
            _tokens[Caller.TokenWrite] = await tokens.CreateAsync(admin.UserId, "write", ApiScopes.Write, null, CancellationToken.None);
            _tokens[Caller.TokenAdmin] = await tokens.CreateAsync(admin.UserId, "admin", ApiScopes.Admin, null, CancellationToken.None);
        });
        (VisitorToken, VisitorContactId) = await NewVisitorAsync(SupportChat.Id.Value);
        _tokens[Caller.Visitor] = VisitorToken;
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }

    public async Task<(string Token, Guid ContactId)> NewVisitorAsync(Guid inboxId)
    {
        using var client = Host.CreateRealClient();
        using var response = await client.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inboxId, null, "Visitor"));
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        return (session.VisitorToken, session.ContactId);
    }

    /// <summary>
    /// A client for the caller that never stores cookies it is sent (a sign-out answer can't end the session for
    /// the next request): staff send their sign-in cookie as a header, tokens and visitors a bearer token.
    /// </summary>
    public HttpClient Client(Caller caller)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        var client = new HttpClient(handler) { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (_cookies.TryGetValue(caller, out var jar))
        {
            client.DefaultRequestHeaders.Add("Cookie", jar.GetCookieHeader(Host.BaseAddress));
        }
        else if (_tokens.TryGetValue(caller, out var token))
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A hub client as the caller (not started).</summary>
    public HubConnection Hub(Caller caller, string path) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Host.BaseAddress, path.TrimStart('/')), o =>
            {
                if (_cookies.TryGetValue(caller, out var jar))
                {
                    o.Cookies = jar;
                }
                else if (_tokens.TryGetValue(caller, out var token))
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
}
