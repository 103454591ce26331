using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Bench;

internal static class Log
{
    public static void Line(string text) => Console.Error.WriteLine($"[{Clock.Now,6:0.0}s] {text}");
}

internal sealed record AgentProfile(Guid AgentId, string DisplayName);

/// <summary>
/// Where the load goes: the product started by the bench on a fresh database (the default), or a running
/// server (--url) whose database the bench seeds and checks (--db) or that it only drives (--inbox, --tokens).
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    private readonly string? _dataFolder;
    private readonly bool _keepData;

    private BenchTarget(Uri baseUrl, BenchSetup setup, ProductServer? server, BenchDatabase? database, ResourceSampler? serverSampler, string? dataFolder, bool keepData)
    {
        BaseUrl = baseUrl;
        Setup = setup;
        Server = server;
        Database = database;
        ServerSampler = serverSampler;
        _dataFolder = dataFolder;
        _keepData = keepData;
    }

    public Uri BaseUrl { get; }
    public BenchSetup Setup { get; }
    public ProductServer? Server { get; }
    public BenchDatabase? Database { get; }
    public ResourceSampler? ServerSampler { get; }
    public ResourceSampler Self { get; } = new(Environment.ProcessId);

    /// <summary>The whole machine: what neither the server nor the bench used was other processes' (noise).</summary>
    public ResourceSampler Machine { get; } = new(0);

    /// <summary>When the started web app was built (the git state in params is the work tree's at run time).</summary>
    public string? ServerBuiltAt { get; private init; }

    public string Describe => Server is not null
        ? $"the product started by the bench on {BaseUrl} (fresh SQLite database)"
        : $"a running server at {BaseUrl}{(Database is null ? " (no database check)" : "")}";

    public static async Task<BenchTarget> PrepareAsync(BenchOptions options, int teams, int agents, int liveCapacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Url is { } url)
        {
            var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
            var sampler = options.ServerPid is { } pid ? new ResourceSampler(pid) : null;
            if (options.Db is { } dbPath)
            {
                if (!File.Exists(dbPath))
                {
                    throw new BenchFailedException($"--db {dbPath}: no such file.");
                }

                var database = await BenchDatabase.OpenAsync($"Data Source={Path.GetFullPath(dbPath)}", Path.GetTempPath(), cancellationToken);
                Log.Line($"Seeding {teams} team(s), {agents} agents (live capacity {liveCapacity}) into {dbPath}");
                var seeded = await database.SeedAsync(teams, agents, liveCapacity, options.Offers, Log.Line, cancellationToken);
                return new BenchTarget(baseUrl, seeded, null, database, sampler, null, true);
            }

            var tokens = File.ReadAllLines(options.TokensFile!).Select(t => t.Trim()).Where(t => t.Length > 0).Take(agents).ToList();
            if (tokens.Count == 0)
            {
                throw new BenchFailedException($"--tokens {options.TokensFile}: no tokens in it.");
            }

            var external = new BenchSetup("external", [options.InboxId!.Value], tokens.Select((t, i) => new BenchAgent(i, Guid.Empty, t, 0)).ToList(), 0);
            return new BenchTarget(baseUrl, external, null, null, sampler, null, true);
        }

        var folder = Path.Combine(Path.GetTempPath(), "cc-bench", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "cc.db")}";
        Log.Line($"Preparing the database in {folder}: {teams} team(s) with a web chat inbox each, {agents} agents (live capacity {liveCapacity}) with API tokens");
        var db = await BenchDatabase.OpenAsync(connectionString, folder, cancellationToken);
        BenchSetup setup;
        try
        {
            setup = await db.SeedAsync(teams, agents, liveCapacity, options.Offers, _ => { }, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        var dll = options.ServerDll ?? RepoPaths.WebDll;
        Log.Line($"Starting {dll}");
        var settings = new Dictionary<string, string>
        {
            ["RateLimits__WidgetSessionsPerMinute"] = "1000000",
            ["RateLimits__SignInPerMinute"] = "1000000",
            ["RateLimits__ApiPerMinute"] = "100000000",
        };
        foreach (var (key, value) in ProductServer.WithoutKnowledgeImport)
        {
            settings[key] = value;
        }

        ProductServer server;
        try
        {
            server = await ProductServer.StartAsync(dll, folder, connectionString, settings, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        Log.Line($"Server pid {server.Pid} answers on {server.BaseUrl}");
        return new BenchTarget(server.BaseUrl, setup, server, db, new ResourceSampler(server.Pid), folder, options.KeepData)
        {
            ServerBuiltAt = File.GetLastWriteTimeUtc(dll).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Connects every agent to /hubs/agent with its API token (their first connection puts them online).</summary>
    public async Task<IReadOnlyList<(BenchAgent Agent, Guid AgentId, HubConnection Connection)>> ConnectAgentsAsync(
        IReadOnlyList<BenchAgent> agents, Action<BenchAgent, HubConnection> configure, ErrorCounts errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(errors);
        var connected = new System.Collections.Concurrent.ConcurrentBag<(BenchAgent, Guid, HubConnection)>();
        var done = 0;
        await Hubs.ForEachAsync(agents, 16, cancellationToken, async (agent, ct) =>
        {
            var connection = Hubs.Build(BaseUrl, Hubs.Agent, agent.Token);
            configure(agent, connection);
            try
            {
                await connection.StartAsync(ct);
                var id = agent.AgentId;
                if (id == Guid.Empty)
                {
                    id = (await connection.InvokeAsync<AgentProfile>("Me", ct)).AgentId;
                }

                connected.Add((agent, id, connection));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                errors.Add("agent connect", ex);
                await connection.DisposeAsync();
            }

            if (Interlocked.Increment(ref done) % 250 == 0)
            {
                Log.Line($"  {done}/{agents.Count} agents connected");
            }
        });
        return connected.OrderBy(c => c.Item1.Index).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Self.DisposeAsync();
        await Machine.DisposeAsync();
        if (ServerSampler is not null)
        {
            await ServerSampler.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (_dataFolder is not null && !_keepData)
        {
            try
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        else if (_dataFolder is not null)
        {
            Log.Line($"Kept the data folder {_dataFolder}");
        }
    }
}
