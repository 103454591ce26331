using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>The report tables of the unit of work (same DbContext instance as <see cref="Abstractions.IApplicationDbContext"/>).</summary>
public interface IReportsDbContext
{
    DbSet<DailyRollup> DailyRollups { get; }

    DbSet<AgentDailyRollup> AgentDailyRollups { get; }
}

/// <summary>
/// One closed UTC day of conversations opened on one channel for one team (<see cref="TeamKey"/> empty: no team), computed
/// by the nightly roll-up job. Reports read these for closed days and query today live. Times are kept as a fixed
/// histogram (<see cref="TimeHistogram"/>) so that percentiles over several days can be merged; the day's exact median and
/// p90 are kept too.
/// </summary>
public sealed class DailyRollup
{
    public Guid Id { get; set; }
    public DateOnly Day { get; set; }
    public ChannelKind Channel { get; set; }
    public Guid TeamKey { get; set; }
    public int Conversations { get; set; }
    public int Merged { get; set; }
    public int Responded { get; set; }
    public int Resolved { get; set; }
    public double? FirstResponseMedian { get; set; }
    public double? FirstResponseP90 { get; set; }
    public double? ResolutionMedian { get; set; }
    public double? ResolutionP90 { get; set; }
    public string FirstResponseHistogram { get; set; } = "";
    public string ResolutionHistogram { get; set; } = "";
    public int UnderSla { get; set; }
    public int FirstResponseBreached { get; set; }
    public int NextResponseBreached { get; set; }
    public int ResolutionBreached { get; set; }
    public int AnyBreached { get; set; }
    public int CsatCount { get; set; }
    public int CsatSum { get; set; }
    public int CsatSatisfied { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>
/// One agent's figures for the conversations opened on one closed UTC day (definitions on <see cref="AgentPerformanceRow"/>),
/// written by the nightly roll-up in the same save as that day's <see cref="DailyRollup"/> rows.
/// </summary>
public sealed class AgentDailyRollup
{
    public Guid Id { get; set; }
    public DateOnly Day { get; set; }
    public Guid AgentId { get; set; }
    public int Assigned { get; set; }
    public int Handled { get; set; }
    public int Replies { get; set; }
    public int FirstResponses { get; set; }
    public int Resolved { get; set; }
    public string FirstResponseHistogram { get; set; } = "";
    public string ResolutionHistogram { get; set; } = "";
    public int CsatCount { get; set; }
    public int CsatSum { get; set; }
    public int CsatSatisfied { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>
/// Counts of durations (minutes) in fixed buckets; a percentile of merged histograms is the upper bound of the bucket
/// holding that rank (so within one bucket of the exact value: 1 minute under 6 minutes, at most ~50 % above that).
/// </summary>
public static class TimeHistogram
{
    /// <summary>Bucket upper bounds in minutes; the last bucket is open-ended.</summary>
    public static readonly double[] Bounds =
    [
        1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 960, 1200,
        1440, 2160, 2880, 4320, 5760, 7200, 10080, 14400, 20160, 30240, 43200, double.PositiveInfinity,
    ];

    public static int[] Of(IEnumerable<double> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var counts = new int[Bounds.Length];
        foreach (var m in minutes)
        {
            counts[BucketOf(m)]++;
        }

        return counts;
    }

    public static int BucketOf(double minutes)
    {
        var i = Array.BinarySearch(Bounds, minutes);
        return i >= 0 ? i : Math.Min(~i, Bounds.Length - 1);
    }

    public static string Write(int[] counts) => string.Join(',', counts ?? []);

    public static int[] Read(string? text)
    {
        var counts = new int[Bounds.Length];
        if (string.IsNullOrEmpty(text))
        {
            return counts;
        }

        var parts = text.Split(',');
        for (var i = 0; i < Math.Min(parts.Length, counts.Length); i++)
        {
            counts[i] = int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    public static void Add(int[] into, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(counts);
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += counts[i];
        }
    }

    /// <summary>The upper bound of the bucket holding the nearest-rank percentile (null when empty; the open last bucket reports its lower bound).</summary>
    public static double? Percentile(int[] counts, double p)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (int)Math.Ceiling(p * total));
        var seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return double.IsPositiveInfinity(Bounds[i]) ? Bounds[i - 1] : Bounds[i];
            }
        }

        return Bounds[^2];
    }
}
