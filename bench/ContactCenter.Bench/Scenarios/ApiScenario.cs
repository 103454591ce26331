using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Domain.Common;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// Conversations created through POST /api/v1/conversations (API token bearer, an Idempotency-Key and an externalId on
/// every call, as an integration would send them) by 1 and then 8 concurrent clients for D seconds each: conversations per
/// second and the latency of one creation. Baseline: a cheap authenticated GET (/api/v1/teams?limit=1: the same token
/// authentication, scope check and rate limiter, one small query) at the same concurrency on the same server. At the end
/// the database is checked: every 201 stored once, no conversation duplicated, and a replayed externalId answers 200 with
/// the same conversation.
/// </summary>
internal static class ApiScenario
{
    private static readonly int[] Concurrency = [1, 8];

    private sealed record Phase(string Name, int Clients, double Seconds, int Count, int Errors, LatencyStats Latency, double Start, double End)
    {
        public double PerSecond => Count / Seconds;
    }

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var duration = options.Duration ?? (options.Short ? 6 : 30);
        var report = new BenchReport("api", options.Short) { BaselineTitle = "GET /api/v1/teams?limit=1, same token, server and concurrency" };
        var p = report.Params;
        p["duration_per_phase_s"] = duration;
        p["concurrent_clients"] = new System.Text.Json.Nodes.JsonArray([.. Concurrency.Select(c => System.Text.Json.Nodes.JsonValue.Create(c))]);
        p["contacts"] = "a new contact (email) on every 4th creation, else one of 1,000 recurring contacts";
        p["baseline"] = "GET /api/v1/teams?limit=1 with the same token";

        Log.Line($"api: POST /api/v1/conversations with {string.Join(" then ", Concurrency)} clients, {duration} s each, after the same load on GET /api/v1/teams");
        await using var target = await BenchTarget.PrepareAsync(options, teams: 1, agents: Concurrency.Max(), liveCapacity: 10, cancellationToken);
        p["target"] = target.Describe;
        if (target.ServerBuiltAt is { } built)
        {
            p["server_dll_built_at"] = built;
        }

        var inboxId = target.Database is { } seedDb
            ? await seedDb.CreateInboxAsync(ChannelKind.Api, new Dictionary<string, string>(), firstTeam: true, cancellationToken)
            : target.Setup.InboxIds[0];
        var clients = target.Setup.Agents.Select(a =>
        {
            var http = new HttpClient { BaseAddress = target.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", a.Token);
            return http;
        }).ToList();
        try
        {
            var created = new ConcurrentDictionary<Guid, string>();
            var log = new LatencyLog();
            var errors = new ErrorCounts();
            var phases = new List<Phase>();
            var sequence = 0;

            // Warm-up: the first calls JIT the paths and open the pools.
            await RunPhaseAsync("warmup", clients, 1, 1, i => GetAsync(clients[i % clients.Count], cancellationToken), new LatencyLog(), cancellationToken);
            await RunPhaseAsync("warmup", clients, 1, 1, i => CreateAsync(clients[i % clients.Count], inboxId, Interlocked.Increment(ref sequence), created, errors, cancellationToken), new LatencyLog(), cancellationToken);
            foreach (var n in Concurrency)
            {
                var baselineLog = new LatencyLog();
                var baseline = await RunPhaseAsync($"get_c{n}", clients, n, duration, i => GetAsync(clients[i], cancellationToken, errors), baselineLog, cancellationToken);
                phases.Add(baseline);
                Log.Line($"  GET  with {n} client(s): {baseline.PerSecond:F0}/s, p50 {baseline.Latency.P50:F1} ms, p99 {baseline.Latency.P99:F1} ms");
                var create = await RunPhaseAsync($"api_c{n}", clients, n, duration,
                    i => CreateAsync(clients[i], inboxId, Interlocked.Increment(ref sequence), created, errors, cancellationToken), log, cancellationToken);
                phases.Add(create);
                Log.Line($"  POST with {n} client(s): {create.PerSecond:F0} conversations/s, p50 {create.Latency.P50:F1} ms, p99 {create.Latency.P99:F1} ms, errors {create.Errors}");
            }

            // One retry of a created externalId (no Idempotency-Key): answered 200 with the same conversation, nothing new stored.
            var replay = await ReplayAsync(clients[0], inboxId, created, cancellationToken);

            var r = report.Results;
            foreach (var phase in phases)
            {
                var into = phase.Name.StartsWith("get", StringComparison.Ordinal) ? report.Baseline : r;
                var unit = phase.Name.StartsWith("get", StringComparison.Ordinal) ? "requests_per_s" : "conversations_per_s";
                into[$"{phase.Name}_{unit}"] = Figures.Num(phase.PerSecond, 0);
                into[$"{phase.Name}_p50_ms"] = Figures.Num(phase.Latency.P50);
                into[$"{phase.Name}_p95_ms"] = Figures.Num(phase.Latency.P95);
                into[$"{phase.Name}_p99_ms"] = Figures.Num(phase.Latency.P99);
                into[$"{phase.Name}_max_ms"] = Figures.Num(phase.Latency.Max);
                into[$"{phase.Name}_errors"] = phase.Errors;
            }

            foreach (var n in Concurrency)
            {
                var get = phases.Single(x => x.Name == $"get_c{n}");
                var api = phases.Single(x => x.Name == $"api_c{n}");
                report.Ratios[$"c{n}_throughput_vs_get"] = Figures.Num(api.PerSecond / get.PerSecond, 3);
                report.Ratios[$"c{n}_p50_vs_get"] = Figures.Num(api.Latency.P50 / get.Latency.P50);
                report.Ratios[$"c{n}_p99_vs_get"] = Figures.Num(api.Latency.P99 / get.Latency.P99);
            }

            r["created_201"] = created.Count;
            r["errors"] = errors.Total;
            r["replay_same_conversation"] = replay;
            if (target.Database is { } db)
            {
                var conversations = await db.ConversationsAsync([inboxId], cancellationToken);
                var messages = await db.MessagesAsync([inboxId], cancellationToken);
                var stored = conversations.Select(c => c.Id).ToHashSet();
                r["db_conversations"] = conversations.Count;
                r["lost"] = created.Keys.Count(id => !stored.Contains(id));
                r["duplicated"] = messages.Where(m => m.ExternalId is not null).GroupBy(m => m.ExternalId).Sum(g => g.Count() - 1)
                    + conversations.GroupBy(c => c.Id).Sum(g => g.Count() - 1);
                r["db_not_acknowledged"] = conversations.Count - created.Count; // stored but answered with an error (e.g. a client timeout)
                var lostOrDuplicated = (int)r["lost"]! + (int)r["duplicated"]!;
                report.Targets.Add(new TargetCheck("every 201 stored once (lost + duplicated)", "0", lostOrDuplicated, lostOrDuplicated == 0 && replay));
            }

            var eight = phases.Single(x => x.Name == "api_c8");
            report.Targets.Add(new TargetCheck("conversations created per second with 8 clients", "≥ 2,000", eight.PerSecond, eight.PerSecond >= 2000));
            var measured = phases.Where(x => x.Name.StartsWith("api", StringComparison.Ordinal)).ToList();
            ChatScenario.AddResources(r, target, measured[0].Start, measured[^1].End);
            if (target.Server is { } server)
            {
                r["server_logged_errors"] = server.CountLogged("fail:") + server.CountLogged("crit:");
                foreach (var line in server.LoggedFailures(3))
                {
                    report.Notes.Add("server log: " + line);
                }
            }

            foreach (var (error, count) in errors.Top(3))
            {
                report.Notes.Add($"{count} × {error}");
            }

            report.Notes.Add("Every creation is one HTTP call answered after its SQLite transaction committed (contact, conversation, message, timeline, idempotency record); the bench agents stay offline, so routing runs and leaves each conversation waiting.");
            report.Notes.Add("Load generator and server share this 2-core machine (and other processes: see other_processes_cpu_percent_avg).");
            // One series per phase (the GET phase between them is not drawn across); x = seconds since the first POST phase began.
            var origin = measured[0].Start;
            var perPhase = measured.Select(m => (Phase: m, Series: log.PerSecond(origin, m.Start, m.End))).ToList();
            report.Chart.Add(new ChartPanel("latency of one creation per second (1 client, then 8 after the GET phase)", "seconds", "ms",
                [.. perPhase.SelectMany(x => new[]
                {
                    new ChartSeries($"p50, {x.Phase.Clients} client(s)", x.Series.X, x.Series.P50),
                    new ChartSeries($"p99, {x.Phase.Clients} client(s)", x.Series.X, x.Series.P99, Dashed: true),
                })]));
            report.Chart.Add(new ChartPanel("conversations created per second", "seconds", "conversations / s",
                [.. perPhase.Select(x => new ChartSeries($"{x.Phase.Clients} client(s)", x.Series.X, x.Series.Count, Bars: true))]));
            report.WallSeconds = Clock.Now - wallStart;
            return report;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary><paramref name="clients"/> workers call <paramref name="call"/> back to back for <paramref name="seconds"/>; a call returns its success.</summary>
    private static async Task<Phase> RunPhaseAsync(string name, IReadOnlyList<HttpClient> clients, int workers, double seconds, Func<int, Task<bool>> call, LatencyLog log, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workers, clients.Count);
        var count = 0;
        var failed = 0;
        var start = Clock.Now;
        var end = start + seconds;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (Clock.Now < end && !cancellationToken.IsCancellationRequested)
            {
                var t0 = Clock.Now;
                var ok = await call(worker);
                if (ok)
                {
                    log.Add(t0, Clock.MsSince(t0));
                    Interlocked.Increment(ref count);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, cancellationToken)));
        var stop = Clock.Now;
        return new Phase(name, workers, stop - start, count, failed, log.Stats(start, stop), start, stop);
    }

    private static async Task<bool> GetAsync(HttpClient client, CancellationToken cancellationToken, ErrorCounts? errors = null)
    {
        try
        {
            using var response = await client.GetAsync("api/v1/teams?limit=1", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            errors?.Add($"GET: HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            errors?.Add("GET", ex);
            return false;
        }
    }

    private static object Body(Guid inboxId, int i) => new
    {
        inboxId,
        contact = i % 4 == 0
            ? new { name = $"New customer {i}", email = $"new{i}@bench.example" }
            : new { name = $"Customer {i % 1000}", email = $"customer{i % 1000}@bench.example" },
        subject = $"Order {i}",
        message = $"Bench order {i}: where is my parcel?",
        tags = new[] { "bench" },
        externalId = $"bench-{i}",
    };

    private static async Task<bool> CreateAsync(HttpClient client, Guid inboxId, int i, ConcurrentDictionary<Guid, string> created, ErrorCounts errors, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/conversations") { Content = JsonContent.Create(Body(inboxId, i)) };
        request.Headers.Add("Idempotency-Key", $"bench-key-{i}");
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                errors.Add($"POST: HTTP {(int)response.StatusCode}");
                return false;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var id = json.RootElement.GetProperty("id").GetGuid();
            if (!created.TryAdd(id, $"bench-{i}"))
            {
                errors.Add("POST: a 201 returned a conversation already created");
            }

            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            errors.Add("POST", ex);
            return false;
        }
    }

    private static async Task<bool> ReplayAsync(HttpClient client, Guid inboxId, ConcurrentDictionary<Guid, string> created, CancellationToken cancellationToken)
    {
        if (created.IsEmpty)
        {
            return false;
        }

        var (id, externalId) = created.First();
        var i = int.Parse(externalId["bench-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        using var response = await client.PostAsJsonAsync("api/v1/conversations", Body(inboxId, i), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("id").GetGuid() == id;
    }
}
