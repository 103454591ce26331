using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Domain.Common;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// A burst of signed WhatsApp Cloud API webhooks (text messages from many customers, a share of them delivered twice)
/// posted by C concurrent clients to POST /webhooks/whatsapp/{inbox}: accepted per second (verified, stored, 200) and
/// the latency from the POST to the message committed in the database (polled), with lost and duplicated messages.
/// </summary>
internal static class WebhooksScenario
{
    private const string Secret = "bench-meta-app-secret";

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var total = options.Customers ?? (options.Short ? 1000 : 10000);
        var concurrency = Math.Max(1, (int)(options.Rate ?? 16));
        var report = new BenchReport("webhooks", options.Short);
        report.Params["webhooks"] = total;
        report.Params["concurrent_clients"] = concurrency;
        report.Params["redelivered_share"] = 0.05;

        var folder = Path.Combine(Path.GetTempPath(), "cc-bench", "webhooks-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "cc.db")}";
        await using var db = await BenchDatabase.OpenAsync(connectionString, folder, cancellationToken);
        var inboxId = await db.CreateInboxAsync(ChannelKind.WhatsApp, new Dictionary<string, string> { ["appSecretKey"] = "Bench:MetaSecret" }, firstTeam: false, cancellationToken);
        var settings = new Dictionary<string, string>
        {
            ["Bench__MetaSecret"] = Secret,
            ["RateLimits__WebhooksPerMinute"] = "100000000",
            ["Webhooks__PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in ProductServer.WithoutKnowledgeImport)
        {
            settings[key] = value;
        }

        await using var server = await ProductServer.StartAsync(options.ServerDll ?? RepoPaths.WebDll, folder, connectionString, settings, cancellationToken);
        report.Params["target"] = $"product server pid {server.Pid} (SQLite in {folder})";
        Log.Line($"webhooks: {total} signed WhatsApp webhooks, {concurrency} concurrent clients, to {server.BaseUrl}");

        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var postedAt = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var accept = new ConcurrentBag<double>();
        var sends = Enumerable.Range(0, total).Concat(Enumerable.Range(0, total / 20)).ToList(); // 5 % delivered twice
        var start = Clock.Now;
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var wamid = $"wamid.BENCH{i}";
            var from = $"1415555{i % 5000:D4}";
            var body = $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1"},"contacts":[{"profile":{"name":"Customer {{{i % 5000}}}"},"wa_id":"{{{from}}}"}],"messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"1700000000","type":"text","text":{"body":"Bench message {{{i}}}"}}]}}]}]}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            content.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
            var t0 = Clock.Now;
            try
            {
                using var response = await http.PostAsync($"webhooks/whatsapp/{inboxId}", content, ct);
                if (response.IsSuccessStatusCode)
                {
                    postedAt.TryAdd(wamid, t0);
                    accept.Add((Clock.Now - t0) * 1000);
                }
                else
                {
                    errors.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                }
            }
            catch (HttpRequestException ex)
            {
                errors.AddOrUpdate(ex.Message, 1, (_, n) => n + 1);
            }
        });
        var acceptSeconds = Clock.Now - start;
        Log.Line($"accepted {accept.Count} in {acceptSeconds:F1} s; waiting for the messages to be committed");

        var committedAt = new Dictionary<string, double>(StringComparer.Ordinal);
        var duplicates = 0;
        var deadline = Clock.Now + Math.Max(120, total / 20.0);
        while (Clock.Now < deadline)
        {
            var messages = await db.MessagesAsync([inboxId], cancellationToken);
            var now = Clock.Now;
            duplicates = messages.Count - messages.Select(m => m.ExternalId).Distinct().Count();
            foreach (var m in messages.Where(m => m.ExternalId is not null))
            {
                committedAt.TryAdd(m.ExternalId!, now);
            }

            if (committedAt.Count >= postedAt.Count)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        var latencies = postedAt.Where(p => committedAt.ContainsKey(p.Key)).Select(p => (committedAt[p.Key] - p.Value) * 1000).ToArray();
        var toCommit = LatencyLog.Summarize(latencies);
        var ack = LatencyLog.Summarize([.. accept]);
        var acceptedPerSecond = accept.Count / acceptSeconds;
        var r = report.Results;
        r["accepted_per_s"] = Figures.Num(acceptedPerSecond, 0);
        r["ack_p50_ms"] = Figures.Num(ack.P50);
        r["ack_p99_ms"] = Figures.Num(ack.P99);
        r["to_committed_p50_ms"] = Figures.Num(toCommit.P50, 0);
        r["to_committed_p99_ms"] = Figures.Num(toCommit.P99, 0);
        r["committed_per_s"] = Figures.Num(committedAt.Count / Math.Max(0.001, committedAt.Values.DefaultIfEmpty(start).Max() - start), 0);
        r["lost"] = postedAt.Count - committedAt.Count;
        r["duplicated"] = duplicates;
        r["errors"] = errors.Values.Sum();
        report.Targets.Add(new TargetCheck("webhooks accepted per second", "≥ 2,000", acceptedPerSecond, acceptedPerSecond >= 2000));
        report.Targets.Add(new TargetCheck("lost + duplicated", "0", postedAt.Count - committedAt.Count + duplicates, postedAt.Count == committedAt.Count && duplicates == 0));
        report.Notes.Add("Latency to committed is measured by polling the database every ~100 ms; it includes the backlog when the processor is slower than acceptance.");
        foreach (var (error, count) in errors.OrderByDescending(e => e.Value).Take(3))
        {
            report.Notes.Add($"{count} × {error}");
        }

        report.WallSeconds = Clock.Now - wallStart;
        return report;
    }
}
