using System.Text;
using ContactCenter.Bench.Scenarios;

namespace ContactCenter.Bench;

internal sealed record ScenarioInfo(
    string Name,
    string Measures,
    string Target,
    Func<BenchOptions, CancellationToken, Task<BenchReport>>? Run,
    int? DependsOnIssue = null,
    string? DependsOn = null);

/// <summary>Every scenario of the benchmark issue; those whose feature is not built yet say which issue they wait for.</summary>
internal static class Catalog
{
    public static readonly IReadOnlyList<ScenarioInfo> All =
    [
        new("chat",
            "N customers on /hubs/chat and M agents on /hubs/agent: customer→agent and agent→customer latency, send acks, messages/s, errors, lost and duplicated messages (checked in the database), server CPU and memory; the same load through a bare SignalR relay as the baseline",
            "4,000 customers and 1,300 agents, a message every 10 s: customer→agent p99 < 100 ms, lost = duplicated = 0, p99 within 3× the relay's; ≥ 5,000 persisted messages/s at peak",
            ChatScenario.RunAsync),
        new("routing",
            "A agents go online together with W conversations waiting: assignments per second while the backlog drains; then first-message-to-assignment latency for new conversations",
            "1,000 agents and 10,000 waiting: ≥ 2,000 assignments/s; first message to offer p99 < 50 ms",
            RoutingScenario.RunAsync),
        new("email", "C SMTP clients send new emails back to back to the built-in receiver for D seconds: messages/s and latency from MAIL FROM to the 250 that follows the commit; 1 % re-sent with the same Message-ID; the database check counts lost and duplicated messages", "≥ 1,000 messages/s committed; lost = duplicated = 0",
            EmailScenario.RunAsync),
        new("webhooks", "a burst of signed WhatsApp webhooks (5 % delivered twice) from C clients: accepted per second, POST-to-committed-message latency, lost and duplicated", "≥ 2,000 per second",
            WebhooksScenario.RunAsync),
        new("api", "conversations created per second through POST /api/v1/conversations (API token, Idempotency-Key, externalId) with 1 and then 8 clients, the latency of one creation, errors; the database check counts lost and duplicated conversations; baseline: GET /api/v1/teams with the same token and concurrency", "≥ 2,000 conversations/s with 8 clients",
            ApiScenario.RunAsync),
        new("chaos",
            "two nodes on one database and a real redis-server under a chat load while a node is killed (SIGKILL) and restarted every few seconds and redis-server is killed and restarted: clients fail over and re-send unacknowledged messages; lost, duplicated, double-assigned and unrouted counted in the database",
            "lost = duplicated = double_assigned = unrouted = 0",
            ChaosScenario.RunAsync),
        new("kb", "in process (no web server): relevance (nDCG@10, MRR@10, Hit@1 for BM25, semantic and hybrid ranking) on ../shared/corpora/faq and query latency; import rate, index size and query latency at 10,000 synthetic articles", "p99 < 20 ms at 10,000 articles; hybrid relevance above BM25 alone",
            KbScenario.RunAsync),
        new("console", "real consoles (Blazor circuits) in headless Chromium: server memory per open console (500 extrapolated) and customer-message-to-rendered latency (MutationObserver in the page); baselines: sign-in pages without a circuit, plain /hubs/agent clients", "< 1 MB per circuit; message to rendered p99 < 200 ms",
            ConsoleScenario.RunAsync),
        new("assist", "in process: the after-hours assistant's knowledge answers on ../shared/corpora/faq — for each confidence threshold, the share of questions answered and the share answered with a relevant article (and the precision of the answers)", "at the chosen threshold (Assist:Assistant:MinConfidence) ≥ 80 % of answers cite a relevant article",
            AssistScenario.RunAsync),
        new("reports", "in process: 1,000,000 generated conversations over a year (messages, SLA events, CSAT) in a fresh SQLite database; the supervisor dashboard snapshot and every report (volume, response times, SLA compliance, CSAT) over 30 and 365 days, without and with the nightly roll-ups", "dashboard and every report (with roll-ups) < 1 s",
            ReportsScenario.RunAsync),
    ];

    public static ScenarioInfo? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    public static string Describe()
    {
        var text = new StringBuilder("scenarios:\n");
        foreach (var s in All)
        {
            var state = s.Run is null ? $"not implemented yet: depends on issue {s.DependsOnIssue} ({s.DependsOn})" : "ready";
            text.Append("  ").Append(s.Name.PadRight(9)).Append(' ').Append(state).Append('\n');
            text.Append("            measures: ").Append(s.Measures).Append('\n');
            text.Append("            target:   ").Append(s.Target).Append('\n');
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>The run could not be completed (the server did not start, setup failed); exit code 1.</summary>
internal sealed class BenchFailedException(string message, Exception? inner = null) : Exception(message, inner);
