using System.Diagnostics;

namespace ContactCenter.Bench;

/// <summary>One monotonic clock for the whole run (the load generator is one process, so send and receive times compare directly).</summary>
internal static class Clock
{
    private static readonly long Start = Stopwatch.GetTimestamp();

    /// <summary>Seconds since the run started.</summary>
    public static double Now => Stopwatch.GetElapsedTime(Start).TotalSeconds;

    public static double MsSince(double startSeconds) => (Now - startSeconds) * 1000;
}

internal sealed record LatencyStats(int Count, double P50, double P95, double P99, double Max, double Mean);

/// <summary>Latency samples (when, how long) kept whole: a run has at most a few hundred thousand.</summary>
internal sealed class LatencyLog
{
    private readonly Lock _lock = new();
    private readonly List<(double At, double Ms)> _samples = [];

    public void Add(double atSeconds, double ms)
    {
        lock (_lock)
        {
            _samples.Add((atSeconds, ms));
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count;
            }
        }
    }

    private List<(double At, double Ms)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    /// <summary>Stats of the samples taken in [from, to) seconds (all when not given).</summary>
    public LatencyStats Stats(double from = double.NegativeInfinity, double to = double.PositiveInfinity)
    {
        var values = Snapshot().Where(s => s.At >= from && s.At < to).Select(s => s.Ms).ToArray();
        return Summarize(values);
    }

    public static LatencyStats Summarize(double[] values)
    {
        if (values.Length == 0)
        {
            return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(values);
        return new LatencyStats(values.Length, Percentile(values, 50), Percentile(values, 95), Percentile(values, 99), values[^1], values.Average());
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Per-second p50 and p99 (x = seconds since origin), for the chart.</summary>
    public (double[] X, double[] P50, double[] P99, double[] Count) PerSecond(double origin, double from, double to)
    {
        var buckets = Snapshot()
            .Where(s => s.At >= from && s.At < to)
            .GroupBy(s => (int)Math.Floor(s.At - origin))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var v = g.Select(s => s.Ms).ToArray();
                Array.Sort(v);
                return (X: g.Key + 0.5, P50: Percentile(v, 50), P99: Percentile(v, 99), Count: (double)v.Length);
            })
            .ToList();
        return (buckets.Select(b => b.X).ToArray(), buckets.Select(b => b.P50).ToArray(), buckets.Select(b => b.P99).ToArray(), buckets.Select(b => b.Count).ToArray());
    }
}

/// <summary>Named error counts (by kind, e.g. "send: timeout"), so a failing run says what failed.</summary>
internal sealed class ErrorCounts
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string what, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var reason = ex switch
        {
            TimeoutException or TaskCanceledException or OperationCanceledException => "timeout",
            Microsoft.AspNetCore.SignalR.HubException h => Trim(h.Message),
            HttpRequestException h => h.StatusCode is { } code ? $"HTTP {(int)code}" : Trim(h.Message),
            _ => ex.GetType().Name + ": " + Trim(ex.Message),
        };
        _counts.AddOrUpdate($"{what}: {reason}", 1, (_, n) => n + 1);
    }

    public void Add(string whatAndWhy) => _counts.AddOrUpdate(whatAndWhy, 1, (_, n) => n + 1);

    public int Total => _counts.Values.Sum();

    public IReadOnlyList<KeyValuePair<string, int>> Top(int n) => _counts.OrderByDescending(kv => kv.Value).Take(n).ToList();

    private static string Trim(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length <= 120 ? line : line[..120] + "…";
    }
}
