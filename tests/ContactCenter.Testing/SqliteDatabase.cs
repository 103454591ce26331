using ContactCenter.Application;
using ContactCenter.Application.Realtime;
using ContactCenter.Infrastructure;
using ContactCenter.Infrastructure.Seed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Testing;

/// <summary>The application and infrastructure services over a fresh SQLite file of their own (no web host).</summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly IHost _host;

    private SqliteDatabase(IHost host, string folder)
    {
        _host = host;
        Folder = folder;
    }

    public string Folder { get; }

    public IServiceProvider Services => _host.Services;

    public RecordingNotifier Notifier => (RecordingNotifier)Services.GetRequiredService<IRealtimeNotifier>();

    /// <param name="configure">Extra or replacing services (registered last, so they win), e.g. a test clock or a channel sender.</param>
    public static async Task<SqliteDatabase> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ContactCenter"] = $"Data Source={Path.Combine(folder, "cc.db")}",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddApplication();
        builder.AddInfrastructure();
        builder.Services.AddSingleton<IRealtimeNotifier, RecordingNotifier>();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        var db = new SqliteDatabase(host, folder);
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        return db;
    }

    /// <summary>Starts the hosted services (the router).</summary>
    public Task StartAsync() => _host.StartAsync();

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>An agent with a login (password "Test-pass-123"), in <paramref name="team"/>, with the given presence.</summary>
    public Task<Domain.Agents.Agent> AddAgentAsync(string name, Domain.Agents.Presence presence, Domain.Agents.Capacity capacity, Domain.Common.TeamId team,
        Domain.Agents.StaffRole role = Domain.Agents.StaffRole.Agent) =>
        InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Infrastructure.Identity.ApplicationUser>>();
            var user = new Infrastructure.Identity.ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
            var created = await users.CreateAsync(user, "Test-pass-123");
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"The agent's login could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }

            var agent = Domain.Agents.Agent.Create(user.Id, name, user.Email, role, capacity, DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(team);
            agent.SetPresence(presence, null, DateTimeOffset.UtcNow);
            var db = sp.GetRequiredService<Application.Abstractions.IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        await Task.CompletedTask;
    }
}

/// <summary>Records what would be pushed (the SignalR notifier is exercised for real in the web tests).</summary>
public sealed class RecordingNotifier : IRealtimeNotifier
{
    public System.Collections.Concurrent.ConcurrentQueue<object> Pushed { get; } = new();

    public Task MessageCreatedAsync(MessageDto message, ConversationSummaryDto conversation, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task SlaAlertAsync(Application.Sla.SlaAlertDto alert, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(alert);
        return Task.CompletedTask;
    }

    public Task EscalationAsync(Application.Assist.EscalationAlertDto alert, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(alert);
        return Task.CompletedTask;
    }

    public Task MessageUpdatedAsync(MessageDto message, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task NotifyStaffAsync(Application.Automation.StaffNotificationDto notification, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(notification);
        return Task.CompletedTask;
    }

    public Task ConversationUpdatedAsync(ConversationSummaryDto conversation, Guid? previousAssigneeId, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(conversation);
        return Task.CompletedTask;
    }

    public Task AgentPresenceChangedAsync(AgentPresenceDto presence, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(presence);
        return Task.CompletedTask;
    }

    public Task QueuePositionsAsync(IReadOnlyList<QueuePositionDto> positions, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(positions);
        return Task.CompletedTask;
    }

    public Task OfferAsync(OfferDto offer, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(offer);
        return Task.CompletedTask;
    }

    public Task OfferWithdrawnAsync(Guid agentId, Guid conversationId, bool expired, CancellationToken cancellationToken)
    {
        Pushed.Enqueue((agentId, conversationId, expired));
        return Task.CompletedTask;
    }
}
