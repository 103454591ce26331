using System.Net;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Testing;

/// <summary>
/// The real app on Kestrel over loopback (a free port), on its own SQLite file in its own folder.
/// Each instance is an isolated contact center; dispose it to stop the server and delete the folder.
/// </summary>
public sealed partial class ContactCenterHost : WebApplicationFactory<Program>
{
    public const string Password = "Test-pass-123";
    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="time">Replaces the app's clock (e.g. a FakeTimeProvider started at the real now) for timer-driven behaviour.</param>
    private readonly bool _ownsData;

    /// <param name="sharedDataDirectory">Another host's folder: a second node on the same database (not deleted by this one).</param>
    public ContactCenterHost(IDictionary<string, string?>? settings = null, string environment = "Development", TimeProvider? time = null, string? sharedDataDirectory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _time = time;
        _configureServices = configureServices;
        _ownsData = sharedDataDirectory is null;
        DataDirectory = sharedDataDirectory ?? Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ContactCenter"] = $"Data Source={Path.Combine(DataDirectory, "contactcenter.db")}",
            ["Seed:Demo"] = "false",
            ["Routing:SweepInterval"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // Hosts that don't test email don't listen on the SMTP port of appsettings.json (parallel hosts would collide).
        _settings.TryAdd("Email:Smtp:Port", "0");
        _settings.TryAdd("Email:Imap:PollInterval", "00:00:00");

        if (!_settings.ContainsKey("KnowledgeBase:ContentPath"))
        {
            // Hosts that don't test the knowledge base skip importing the real help center.
            _settings["KnowledgeBase:ImportOnStart"] = "false";
            _settings["KnowledgeBase:Watch"] = "false";
        }

        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; }

    public string Environment { get; }

    /// <summary>The server's real address (starts it on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.EndsWith('/') ? address : address + "/");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(_time));
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    /// <summary>A client of the real server (no cookies unless given a container).</summary>
    public HttpClient CreateRealClient(CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A client of the real server that sends an API token as `Authorization: Bearer`.</summary>
    public HttpClient CreateTokenClient(string token)
    {
        var client = CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) =>
        InScopeAsync<bool>(async sp =>
        {
            await work(sp);
            return true;
        });

    public async Task<Team> CreateTeamAsync(string name)
    {
        var team = Team.Create(name).Value;
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(team);
            await db.SaveChangesAsync();
        });
        return team;
    }

    public async Task<Inbox> CreateInboxAsync(string name, ChannelKind channel, TeamId? team)
    {
        var inbox = Inbox.Create(name, channel, team).Value;
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
        });
        return inbox;
    }

    /// <summary>A staff account with its agent profile, in the given teams.</summary>
    public async Task<Agent> CreateAgentAsync(string email, string name, StaffRole role = StaffRole.Agent, params TeamId[] teams)
    {
        return await InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var r in Roles.All)
            {
                if (!await roles.RoleExistsAsync(r))
                {
                    await roles.CreateAsync(new IdentityRole(r));
                }
            }

            var user = new ApplicationUser { UserName = email, Email = email, DisplayName = name, EmailConfirmed = true };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, role.ToString()));
            var agent = Agent.Create(user.Id, name, email, role, Capacity.Default, DateTimeOffset.UtcNow).Value;
            foreach (var team in teams)
            {
                agent.JoinTeam(team);
            }

            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });
    }

    /// <summary>Signs in through the real sign-in form (antiforgery included) and returns the cookie jar.</summary>
    public async Task<CookieContainer> SignInAsync(string email, string password = Password)
    {
        var cookies = new CookieContainer();
        using var client = CreateRealClient(cookies);
        var page = await client.GetStringAsync("account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/console",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        });
        using var response = await client.PostAsync("account/signin", form);
        var location = response.Headers.Location?.ToString() ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || location.Contains("error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} → {location}");
        }

        return cookies;
    }

    /// <summary>A SignalR client of /hubs/agent signed in with the given cookies (not started).</summary>
    public HubConnection AgentConnection(CookieContainer cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "hubs/agent"), o => o.Cookies = cookies)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();

    /// <summary>A SignalR client of /hubs/chat carrying a visitor token (not started).</summary>
    public HubConnection CustomerConnection(string visitorToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(visitorToken))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsData)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finishing background task; the temp folder is cleaned by the OS.
            }
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
