using System.Collections.Concurrent;
using System.Globalization;
using ContactCenter.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// Issue 12's chaos run: two product nodes on one SQLite database with a real redis-server backplane, customers
/// and agents spread over both, a steady chat load — and meanwhile a node is killed with SIGKILL and started
/// again every few seconds (alternating), and redis-server is killed and started again. Clients do what the
/// widget and the console do: reconnect to a node that answers and re-send what was not acknowledged, with
/// the same client id. At the end the database must hold every acknowledged message exactly once, no
/// conversation may have been assigned from a stale state (two nodes assigning it at once), and every
/// conversation must be routed.
/// </summary>
internal static class ChaosScenario
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var s = options.Short;
        var customers = options.Customers ?? (s ? 40 : 200);
        var agents = options.Agents ?? (s ? 4 : 20);
        var interval = options.Interval ?? (s ? 1 : 2);
        var duration = options.Duration ?? (s ? 30 : 120);
        var killEvery = options.KillEvery ?? (s ? 8 : 15);
        var liveCapacity = Math.Min(50, ((int)Math.Ceiling((double)customers / agents)) + 2);
        var report = new BenchReport("chaos", s);
        var p = report.Params;
        p["customers"] = customers;
        p["agents"] = agents;
        p["nodes"] = 2;
        p["interval_s"] = interval;
        p["duration_s"] = duration;
        p["kill_every_s"] = killEvery;
        p["agent_live_capacity"] = liveCapacity;
        p["faults"] = "a node killed with SIGKILL and restarted every kill_every_s (alternating nodes); redis-server killed and restarted once in the middle";
        p["machine"] = $"{Environment.ProcessorCount} cores shared by the load generator, both nodes and redis-server";

        var folder = Path.Combine(Path.GetTempPath(), "cc-bench", "chaos-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "cc.db")}";
        Log.Line($"chaos: {customers} customers, {agents} agents, two nodes, a node killed every {killEvery} s for {duration} s; data in {folder}");
        await using var db = await BenchDatabase.OpenAsync(connectionString, folder, cancellationToken);
        var setup = await db.SeedAsync(1, agents, liveCapacity, false, _ => { }, cancellationToken);
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis__Connection"] = redis.ConnectionString,
            ["RateLimits__WidgetSessionsPerMinute"] = "1000000",
            ["RateLimits__SignInPerMinute"] = "1000000",
            // Agents whose node died reconnect within seconds: their chats stay theirs.
            ["Routing__OfflineGrace"] = "00:00:30",
        };
        await using var cluster = new Cluster(options.ServerDll ?? RepoPaths.WebDll, folder, connectionString, settings);
        await cluster.StartAsync(cancellationToken);
        var run = new ChaosRun(cluster, setup, interval);
        await run.ConnectAgentsAsync(cancellationToken);

        run.Origin = Clock.Now;
        run.StopAt = run.Origin + duration;
        var load = run.RunCustomersAsync(customers, cancellationToken);
        var faults = Task.Run(async () =>
        {
            var next = run.Origin + killEvery;
            var redisDone = false;
            for (var victim = 0; next < run.StopAt - 3; victim = 1 - victim, next += killEvery)
            {
                await RelayBaseline.DelayUntil(next, cancellationToken);
                await cluster.KillAndRestartAsync(victim, cancellationToken);
                if (!redisDone && Clock.Now > run.Origin + (duration / 2))
                {
                    redisDone = true;
                    Log.Line("  killing redis-server");
                    await redis.KillAsync();
                    run.RedisRestarts++;
                    await Task.Delay(2000, cancellationToken);
                    await redis.StartAgainAsync();
                    Log.Line("  redis-server started again");
                }
            }
        }, cancellationToken);
        await Task.WhenAll(load, faults);

        // Let the routers settle (both nodes up), then check the database.
        Log.Line("Load done; letting routing settle");
        var settled = await run.WaitForRoutingAsync(db, TimeSpan.FromSeconds(30), cancellationToken);
        var check = await run.CheckAsync(db, cancellationToken);
        run.Stopping = true;
        var r = report.Results;
        r["messages_sent"] = run.Sent;
        r["messages_acked"] = run.Acked.Count;
        r["messages_failed"] = run.Failed.Count;
        r["replies_acked"] = run.AckedReplies.Count;
        r["node_kills"] = cluster.Kills;
        r["redis_restarts"] = run.RedisRestarts;
        r["customer_reconnects"] = run.CustomerReconnects;
        r["agent_reconnects"] = run.AgentReconnects;
        r["sends_retried"] = run.Retried;
        r["retries_flagged_duplicate"] = run.RetriesFlaggedDuplicate;
        Figures.Latency(r, "send_ack", run.SendAck.Stats());
        r["lost"] = check.Lost;
        r["duplicated"] = check.Duplicated;
        r["double_assigned"] = check.DoubleAssigned;
        r["unrouted"] = check.Unrouted;
        r["conversations"] = check.Conversations;
        r["routing_settled_s"] = Figures.Num(settled);
        r["errors"] = run.Errors.Total;
        foreach (var (what, count) in run.Errors.Top(5))
        {
            report.Notes.Add($"client-side errors (then retried): {count} × {what}");
        }

        foreach (var target in new[] { ("lost", check.Lost), ("duplicated", check.Duplicated), ("double_assigned", check.DoubleAssigned), ("unrouted", check.Unrouted) })
        {
            report.Targets.Add(new TargetCheck(target.Item1, "0", target.Item2, target.Item2 == 0));
        }

        report.Notes.Add("lost: acknowledged messages (customers' and agents') missing from the database. duplicated: an external (client) id stored twice, or a stored message no client sent. " +
            "double_assigned: an Assigned timeline entry whose 'from' is not the assignee the conversation's history says it had (two nodes assigning from the same state). unrouted: conversations left without an assignee after the load, with agents online and capacity free.");
        report.Notes.Add("send_ack includes fail-overs: a send whose node died is re-sent to the other node with the same client id; its latency runs from the first attempt to the acknowledgement.");
        report.Chart.Add(new ChartPanel("customer send → acknowledgement (fail-overs included)", "seconds since the load started", "ms",
            ChatScenario.LatencySeries("product", run.SendAck, run.Origin, run.StopAt, null), LogY: true));
        report.WallSeconds = Clock.Now - wallStart;
        if (!options.KeepData)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        return report;
    }
}

/// <summary>Two product processes on one database; either may be killed and started again (on a new port).</summary>
internal sealed class Cluster(string dll, string folder, string connectionString, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private readonly ProductServer?[] _nodes = new ProductServer?[2];
    private readonly Lock _gate = new();
    private int _incarnation;

    public int Kills { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            await StartNodeAsync(i, cancellationToken);
        }
    }

    private async Task StartNodeAsync(int i, CancellationToken cancellationToken)
    {
        var nodeFolder = Path.Combine(folder, $"node{i}-{Interlocked.Increment(ref _incarnation)}");
        Directory.CreateDirectory(nodeFolder);
        var server = await ProductServer.StartAsync(dll, nodeFolder, connectionString, settings, cancellationToken);
        lock (_gate)
        {
            _nodes[i] = server;
        }

        Log.Line($"  node {i} up: pid {server.Pid} on {server.BaseUrl}");
    }

    /// <summary>A node that is up, preferring one other than <paramref name="avoid"/> (the one that just failed).</summary>
    public Uri? Pick(Uri? avoid)
    {
        lock (_gate)
        {
            var up = _nodes.Where(n => n is not null).Select(n => n!.BaseUrl).ToList();
            return up.FirstOrDefault(u => u != avoid) ?? up.FirstOrDefault();
        }
    }

    public async Task KillAndRestartAsync(int i, CancellationToken cancellationToken)
    {
        ProductServer? victim;
        lock (_gate)
        {
            victim = _nodes[i];
            _nodes[i] = null;
        }

        if (victim is not null)
        {
            Log.Line($"  kill -9 node {i} (pid {victim.Pid})");
            await victim.DisposeAsync(); // SIGKILL: no graceful shutdown, clients see their sockets drop
            Kills++;
        }

        await Task.Delay(1000, cancellationToken);
        await StartNodeAsync(i, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}

/// <summary>The clients' side of the chaos run and the checks against the database.</summary>
internal sealed class ChaosRun(Cluster cluster, BenchSetup setup, double interval)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Guid, Guid> _assignees = new();
    private readonly ConcurrentDictionary<Guid, byte> _replyStarted = new();
    private int _sent;
    private int _customerReconnects;
    private int _agentReconnects;
    private int _retried;
    private int _retriesFlaggedDuplicate;

    public double Origin { get; set; }
    public double StopAt { get; set; }
    public int RedisRestarts { get; set; }

    /// <summary>Set once the checks are done: agents' connections closing then are not reconnected.</summary>
    public bool Stopping { get; set; }
    public int Sent => _sent;
    public int CustomerReconnects => _customerReconnects;
    public int AgentReconnects => _agentReconnects;
    public int Retried => _retried;
    public int RetriesFlaggedDuplicate => _retriesFlaggedDuplicate;
    public ConcurrentDictionary<string, Guid> Acked { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, byte> Failed { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, Guid> AckedReplies { get; } = new(StringComparer.Ordinal);
    public LatencyLog SendAck { get; } = new();
    public ErrorCounts Errors { get; } = new();

    /// <summary>Every agent keeps one connection to a node that is up, reconnecting elsewhere when it drops.</summary>
    public async Task ConnectAgentsAsync(CancellationToken cancellationToken)
    {
        await Hubs.ForEachAsync(setup.Agents, 8, cancellationToken, async (agent, ct) => await ConnectAgentAsync(agent, null, ct));
        Log.Line($"{setup.Agents.Count} agents connected over both nodes");
    }

    private async Task ConnectAgentAsync(BenchAgent agent, Uri? avoid, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !Stopping)
        {
            if (cluster.Pick(avoid) is not { } url)
            {
                await Task.Delay(300, cancellationToken);
                continue;
            }

            var connection = Hubs.Build(url, Hubs.Agent, agent.Token);
            connection.On<StaffMessage>("MessageCreated", m => OnStaffMessage(agent, connection, url, m));
            connection.On<ConversationUpdate>("ConversationUpdated", u =>
            {
                if (u.AssigneeId is { } a)
                {
                    _assignees[u.Id] = a;
                }
            });
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(CallTimeout);
                await connection.StartAsync(timeout.Token);
                connection.Closed += error =>
                {
                    if (Stopping)
                    {
                        return Task.CompletedTask;
                    }

                    Interlocked.Increment(ref _agentReconnects);
                    _ = Task.Run(() => ConnectAgentAsync(agent, url, cancellationToken), CancellationToken.None);
                    return Task.CompletedTask;
                };
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Errors.Add("agent connect", ex);
                await connection.DisposeAsync();
                avoid = url;
                await Task.Delay(300, cancellationToken);
            }
        }
    }

    /// <summary>The assignee answers each customer message once (client id r-{message}); a reply lost with its node is re-sent.</summary>
    private void OnStaffMessage(BenchAgent agent, HubConnection connection, Uri node, StaffMessage message)
    {
        if (message.Direction != "Inbound" || !_assignees.TryGetValue(message.ConversationId, out var assignee) || assignee != agent.AgentId
            || !_replyStarted.TryAdd(message.Id, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            var request = new AgentReplyRequest(message.ConversationId, "On it.", false, $"r-{message.Id:N}");
            var current = connection;
            var url = node;
            for (var attempt = 0; attempt < 20 && Clock.Now < StopAt + 20; attempt++)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(CallTimeout);
                    var result = await current.InvokeAsync<AgentReplyResult>("SendReply", request, timeout.Token);
                    AckedReplies[request.ClientMessageId] = result.MessageId;
                    if (current != connection)
                    {
                        await current.DisposeAsync();
                    }

                    return;
                }
                catch (Exception ex)
                {
                    Errors.Add("agent reply", ex);
                    await Task.Delay(500);
                    // The agent's own loop reconnects; this reply goes through a fresh connection of its own.
                    url = cluster.Pick(url) ?? url;
                    if (current != connection)
                    {
                        await current.DisposeAsync(); // this reply's own previous connection, not the agent's
                    }

                    current = Hubs.Build(url, Hubs.Agent, agent.Token);
                    try
                    {
                        using var timeout = new CancellationTokenSource(CallTimeout);
                        await current.StartAsync(timeout.Token);
                    }
                    catch (Exception connectError)
                    {
                        Errors.Add("agent reply connect", connectError);
                    }
                }
            }
        });
    }

    public async Task RunCustomersAsync(int customers, CancellationToken cancellationToken)
    {
        var inbox = setup.InboxIds[0];
        await Task.WhenAll(Enumerable.Range(0, customers).Select(c => CustomerAsync(c, customers, inbox, cancellationToken)));
    }

    private async Task CustomerAsync(int c, int customers, Guid inbox, CancellationToken cancellationToken)
    {
        await RelayBaseline.DelayUntil(Origin + (interval * c / customers), cancellationToken);
        Uri? url = cluster.Pick(null);
        WidgetSessionResponse? session = null;
        while (session is null && Clock.Now < StopAt)
        {
            try
            {
                using var http = Hubs.Http(url!);
                session = await Hubs.StartSessionAsync(http, inbox, $"Chaos customer {c + 1}", cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Errors.Add("customer session", ex);
                url = cluster.Pick(url);
                await Task.Delay(300, cancellationToken);
            }
        }

        if (session is null)
        {
            return;
        }

        HubConnection? connection = null;
        try
        {
            for (var n = 0; Clock.Now < StopAt; n++)
            {
                var clientId = string.Create(CultureInfo.InvariantCulture, $"k{c}-{n}");
                var request = new ChatSendRequest(clientId, $"Chaos customer {c + 1}, message {n}");
                var start = Clock.Now;
                Interlocked.Increment(ref _sent);
                for (var attempt = 0; ; attempt++)
                {
                    if (Clock.Now > StopAt + 30)
                    {
                        Failed[clientId] = 0;
                        break;
                    }

                    try
                    {
                        if (connection is null || connection.State != HubConnectionState.Connected)
                        {
                            if (connection is not null)
                            {
                                await connection.DisposeAsync();
                                Interlocked.Increment(ref _customerReconnects);
                                url = cluster.Pick(url);
                            }

                            connection = Hubs.Build(url ?? throw new BenchFailedException("no node is up"), Hubs.Chat, session.VisitorToken);
                            using var connectTimeout = new CancellationTokenSource(CallTimeout);
                            await connection.StartAsync(connectTimeout.Token);
                        }

                        using var timeout = new CancellationTokenSource(CallTimeout);
                        var result = await connection.InvokeAsync<ChatSendResult>("SendMessage", request, timeout.Token);
                        Acked[clientId] = result.MessageId;
                        SendAck.Add(start, (Clock.Now - start) * 1000);
                        if (attempt > 0)
                        {
                            Interlocked.Increment(ref _retried);
                            if (result.Duplicate)
                            {
                                Interlocked.Increment(ref _retriesFlaggedDuplicate);
                            }
                        }

                        break;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        Errors.Add("customer send", ex);
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                            connection = null;
                            Interlocked.Increment(ref _customerReconnects);
                        }

                        url = cluster.Pick(url);
                        await Task.Delay(200, cancellationToken);
                    }
                }

                await RelayBaseline.DelayUntil(start + interval, cancellationToken);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Seconds until no conversation waits unassigned (or the limit).</summary>
    public async Task<double> WaitForRoutingAsync(BenchDatabase db, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = Clock.Now;
        while (Clock.Now - start < limit.TotalSeconds)
        {
            var conversations = await db.ConversationsAsync(setup.InboxIds, cancellationToken);
            if (conversations.All(c => c.AssigneeId is not null))
            {
                break;
            }

            await Task.Delay(500, cancellationToken);
        }

        return Clock.Now - start;
    }

    public async Task<ChaosCheck> CheckAsync(BenchDatabase db, CancellationToken cancellationToken)
    {
        var rows = await db.MessagesAsync(setup.InboxIds, cancellationToken);
        var ids = rows.Select(m => m.Id).ToHashSet();
        var lost = Acked.Values.Count(id => !ids.Contains(id)) + AckedReplies.Values.Count(id => !ids.Contains(id));
        var duplicated = rows.Where(m => m.ExternalId is not null).GroupBy(m => m.ExternalId!, StringComparer.Ordinal).Sum(g => g.Count() - 1);
        foreach (var row in rows.Where(m => m.Inbound))
        {
            var clientId = ChatRun.ClientIdOf(row.ExternalId);
            if (clientId is null || (!Acked.ContainsKey(clientId) && !Failed.ContainsKey(clientId)))
            {
                duplicated++; // stored, but no client sent it (or it was sent under another id)
            }
        }

        var conversations = await db.ConversationsAsync(setup.InboxIds, cancellationToken);
        var unrouted = conversations.Count(c => c.AssigneeId is null);
        var doubleAssigned = await db.AssignmentsFromStaleStateAsync(setup.InboxIds, cancellationToken);
        return new ChaosCheck(lost, duplicated, doubleAssigned, unrouted, conversations.Count);
    }
}

internal sealed record ChaosCheck(int Lost, int Duplicated, int DoubleAssigned, int Unrouted, int Conversations);
