using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// The same load as the product phase, through the bare relay hub (/bench/relay) on the same server:
/// customer i and agent (i mod M) form a pair; the customer's Send reaches the agent (one way), the
/// agent answers and the answer reaches the customer. No persistence, no routing.
/// </summary>
internal sealed record RelayPlan(
    int Customers,
    int Agents,
    Func<int, double> ConnectAt,
    Func<int, double> FirstSendAt,
    double Interval,
    int MaxMessagesPerCustomer,
    bool Replies,
    double SteadyFrom,
    double StopAt,
    string Text);

internal sealed class RelayOutcome
{
    public LatencyLog ToAgent { get; } = new();
    public LatencyLog ToCustomer { get; } = new();
    public LatencyLog SendAck { get; } = new();
    public LatencyLog ReplyAck { get; } = new();
    public ErrorCounts Errors { get; } = new();
    public double Origin { get; set; }
    public double SteadyFrom { get; set; }
    public double StopAt { get; set; }
    public int Sent;
    public int Skipped;
    public int UndeliveredToAgent { get; set; }
    public int UndeliveredToCustomer { get; set; }
    public int CustomersConnected { get; set; }
    public int AgentsConnected { get; set; }
}

internal static class RelayBaseline
{
    private const int MaxOutstandingPerCustomer = 3;

    public static async Task<RelayOutcome> RunAsync(Uri baseUrl, RelayPlan plan, CancellationToken cancellationToken)
    {
        var outcome = new RelayOutcome();
        var toAgent = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var toCustomer = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var agents = new HubConnection[plan.Agents];
        var customers = new ConcurrentBag<HubConnection>();

        // Agents first: each joins its pairs as the agent side.
        await Hubs.ForEachAsync(Enumerable.Range(0, plan.Agents), 16, cancellationToken, async (a, ct) =>
        {
            var connection = Hubs.Build(baseUrl, Hubs.Relay, null);
            connection.On<string, string>("Receive", (pair, payload) =>
            {
                var now = Clock.Now;
                var id = payload[..payload.IndexOf('|', StringComparison.Ordinal)];
                if (toAgent.TryRemove(id, out var sentAt))
                {
                    outcome.ToAgent.Add(sentAt, (now - sentAt) * 1000);
                }

                if (plan.Replies)
                {
                    _ = ReplyAsync(connection, pair, "r" + id, toCustomer, outcome);
                }
            });
            try
            {
                await connection.StartAsync(ct);
                for (var c = a; c < plan.Customers; c += plan.Agents)
                {
                    await connection.InvokeAsync("Join", Pair(c), "agent", ct);
                }

                agents[a] = connection;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                outcome.Errors.Add("relay agent connect", ex);
                await connection.DisposeAsync();
            }
        });
        outcome.AgentsConnected = agents.Count(a => a is not null);

        outcome.Origin = Clock.Now;
        outcome.SteadyFrom = outcome.Origin + plan.SteadyFrom;
        outcome.StopAt = outcome.Origin + plan.StopAt;
        using var connectGate = new SemaphoreSlim(64);
        var loops = Enumerable.Range(0, plan.Customers).Select(async c =>
        {
            await DelayUntil(outcome.Origin + plan.ConnectAt(c), cancellationToken);
            var connection = Hubs.Build(baseUrl, Hubs.Relay, null);
            connection.On<string, string>("Receive", (_, payload) =>
            {
                var now = Clock.Now;
                var id = payload[..payload.IndexOf('|', StringComparison.Ordinal)];
                if (toCustomer.TryRemove(id, out var sentAt))
                {
                    outcome.ToCustomer.Add(sentAt, (now - sentAt) * 1000);
                }
            });
            await connectGate.WaitAsync(cancellationToken);
            try
            {
                await connection.StartAsync(cancellationToken);
                await connection.InvokeAsync("Join", Pair(c), "customer", cancellationToken);
                customers.Add(connection);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                outcome.Errors.Add("relay customer connect", ex);
                await connection.DisposeAsync();
                return;
            }
            finally
            {
                connectGate.Release();
            }

            var outstanding = 0;
            var sends = new List<Task>();
            var next = outcome.Origin + plan.FirstSendAt(c);
            for (var n = 0; n < plan.MaxMessagesPerCustomer; n++, next += plan.Interval)
            {
                if (next >= outcome.StopAt)
                {
                    break;
                }

                await DelayUntil(next, cancellationToken);
                if (Volatile.Read(ref outstanding) >= MaxOutstandingPerCustomer)
                {
                    Interlocked.Increment(ref outcome.Skipped);
                    continue;
                }

                var id = string.Create(CultureInfo.InvariantCulture, $"c{c}-{n}");
                sends.Add(SendAsync(connection, Pair(c), id, plan.Text, toAgent, outcome, () => Interlocked.Increment(ref outstanding), () => Interlocked.Decrement(ref outstanding)));
            }

            await Task.WhenAll(sends);
        }).ToList();

        await Task.WhenAll(loops);
        await Drain(toAgent, toCustomer, cancellationToken);
        outcome.UndeliveredToAgent = toAgent.Count;
        outcome.UndeliveredToCustomer = toCustomer.Count;
        outcome.CustomersConnected = customers.Count;
        await Hubs.StopQuietlyAsync(customers.Concat(agents.Where(a => a is not null)));
        return outcome;
    }

    private static string Pair(int customer) => customer.ToString(CultureInfo.InvariantCulture);

    private static async Task SendAsync(HubConnection connection, string pair, string id, string text, ConcurrentDictionary<string, double> pending, RelayOutcome outcome, Action begin, Action end)
    {
        begin();
        var start = Clock.Now;
        pending[id] = start;
        Interlocked.Increment(ref outcome.Sent);
        try
        {
            await connection.InvokeAsync("Send", pair, $"{id}|{text}");
            outcome.SendAck.Add(start, (Clock.Now - start) * 1000);
        }
        catch (Exception ex)
        {
            pending.TryRemove(id, out _);
            outcome.Errors.Add("relay send", ex);
        }
        finally
        {
            end();
        }
    }

    private static async Task ReplyAsync(HubConnection connection, string pair, string id, ConcurrentDictionary<string, double> pending, RelayOutcome outcome)
    {
        var start = Clock.Now;
        pending[id] = start;
        try
        {
            await connection.InvokeAsync("Send", pair, $"{id}|Thanks for waiting, I'm checking it now.");
            outcome.ReplyAck.Add(start, (Clock.Now - start) * 1000);
        }
        catch (Exception ex)
        {
            pending.TryRemove(id, out _);
            outcome.Errors.Add("relay reply", ex);
        }
    }

    /// <summary>Waits (at most 10 s) for what is still on its way.</summary>
    public static async Task Drain(ConcurrentDictionary<string, double> a, ConcurrentDictionary<string, double> b, CancellationToken cancellationToken)
    {
        var until = Clock.Now + 10;
        while ((!a.IsEmpty || !b.IsEmpty) && Clock.Now < until)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    public static Task DelayUntil(double at, CancellationToken cancellationToken)
    {
        var wait = at - Clock.Now;
        return wait > 0.001 ? Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken) : Task.CompletedTask;
    }
}
