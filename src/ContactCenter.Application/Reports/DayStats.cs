using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>The key of one roll-up row: a UTC day, a channel, a team (empty: no team).</summary>
public readonly record struct DayKey(DateOnly Day, ChannelKind Channel, Guid TeamKey);

/// <summary>
/// What the reports need of one day x channel x team: counts, response and resolution times (exact lists when computed
/// live, histograms always), SLA breaches and CSAT. Built live from conversations or read back from a <see cref="DailyRollup"/>.
/// </summary>
public sealed class DayStats
{
    public int Conversations { get; set; }
    public int Merged { get; set; }
    public Durations FirstResponse { get; private set; } = new();
    public Durations Resolution { get; private set; } = new();
    public int Responded => FirstResponse.Count;
    public int Resolved => Resolution.Count;
    public int UnderSla { get; set; }
    public int FirstResponseBreached { get; set; }
    public int NextResponseBreached { get; set; }
    public int ResolutionBreached { get; set; }
    public int AnyBreached { get; set; }
    public int CsatCount { get; set; }
    public int CsatSum { get; set; }
    public int CsatSatisfied { get; set; }

    /// <summary>Adds another day's figures (used to sum days into a report row).</summary>
    public void Add(DayStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Conversations += other.Conversations;
        Merged += other.Merged;
        FirstResponse.Add(other.FirstResponse);
        Resolution.Add(other.Resolution);
        UnderSla += other.UnderSla;
        FirstResponseBreached += other.FirstResponseBreached;
        NextResponseBreached += other.NextResponseBreached;
        ResolutionBreached += other.ResolutionBreached;
        AnyBreached += other.AnyBreached;
        CsatCount += other.CsatCount;
        CsatSum += other.CsatSum;
        CsatSatisfied += other.CsatSatisfied;
    }

    public double? FirstResponsePercentile(double p) => FirstResponse.Percentile(p);

    public double? ResolutionPercentile(double p) => Resolution.Percentile(p);

    public static DayStats From(DailyRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return new DayStats
        {
            Conversations = rollup.Conversations,
            Merged = rollup.Merged,
            FirstResponse = Durations.From(rollup.Responded, rollup.FirstResponseHistogram),
            Resolution = Durations.From(rollup.Resolved, rollup.ResolutionHistogram),
            UnderSla = rollup.UnderSla,
            FirstResponseBreached = rollup.FirstResponseBreached,
            NextResponseBreached = rollup.NextResponseBreached,
            ResolutionBreached = rollup.ResolutionBreached,
            AnyBreached = rollup.AnyBreached,
            CsatCount = rollup.CsatCount,
            CsatSum = rollup.CsatSum,
            CsatSatisfied = rollup.CsatSatisfied,
        };
    }

    public DailyRollup ToRollup(DayKey key, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        Day = key.Day,
        Channel = key.Channel,
        TeamKey = key.TeamKey,
        Conversations = Conversations,
        Merged = Merged,
        Responded = Responded,
        Resolved = Resolved,
        FirstResponseMedian = FirstResponsePercentile(0.5),
        FirstResponseP90 = FirstResponsePercentile(0.9),
        ResolutionMedian = ResolutionPercentile(0.5),
        ResolutionP90 = ResolutionPercentile(0.9),
        FirstResponseHistogram = TimeHistogram.Write(FirstResponse.Histogram),
        ResolutionHistogram = TimeHistogram.Write(Resolution.Histogram),
        UnderSla = UnderSla,
        FirstResponseBreached = FirstResponseBreached,
        NextResponseBreached = NextResponseBreached,
        ResolutionBreached = ResolutionBreached,
        AnyBreached = AnyBreached,
        CsatCount = CsatCount,
        CsatSum = CsatSum,
        CsatSatisfied = CsatSatisfied,
        ComputedAt = now,
    };
}

/// <summary>
/// Durations in minutes: a count and a <see cref="TimeHistogram"/> always, the exact values while every part was computed live
/// (null once a roll-up was merged in: then percentiles come from the histogram).
/// </summary>
public sealed class Durations
{
    public int Count { get; private set; }
    public int[] Histogram { get; private set; } = new int[TimeHistogram.Bounds.Length];
    public List<double>? Exact { get; private set; } = [];

    public void Add(double minutes)
    {
        Count++;
        Histogram[TimeHistogram.BucketOf(minutes)]++;
        Exact?.Add(minutes);
    }

    public void Add(Durations other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        TimeHistogram.Add(Histogram, other.Histogram);
        Exact = Exact is not null && other.Exact is not null ? [.. Exact, .. other.Exact] : null;
    }

    /// <summary>Exact nearest-rank percentile when every value is known, else the histogram's bucket bound (null when empty).</summary>
    public double? Percentile(double p)
    {
        if (Exact is null)
        {
            return TimeHistogram.Percentile(Histogram, p);
        }

        Exact.Sort();
        return ReportQueries.Percentile(Exact, p);
    }

    /// <summary>Read back from a roll-up: count and histogram only.</summary>
    public static Durations From(int count, string? histogram) => new() { Count = count, Histogram = TimeHistogram.Read(histogram), Exact = null };
}

/// <summary>Computes <see cref="DayStats"/> live from the conversations opened in [start, end).</summary>
public sealed class DayStatsSource(IApplicationDbContext db, ISlaDbContext sla, IFeedbackDbContext feedback)
{
    public async Task<Dictionary<DayKey, DayStats>> LiveAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        // One pass over the period's conversations (by the CreatedAt index); breaches and the rating come from correlated
        // look-ups on the unique (ConversationId, Metric, Kind) and (ConversationId) indexes. Joining from the SLA events or
        // ratings instead scanned those whole tables (a second per report at a million conversations).
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end)
            .Select(c => new
            {
                c.CreatedAt, c.Channel, c.TeamId, c.FirstRespondedAt, c.ResolvedAt, Merged = c.MergedIntoId != null, UnderSla = c.SlaPolicyId != null,
                FirstBreached = sla.SlaEvents.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.FirstResponse && e.Kind == SlaEventKind.Breach),
                NextBreached = sla.SlaEvents.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.NextResponse && e.Kind == SlaEventKind.Breach),
                ResolutionBreached = sla.SlaEvents.Any(e => e.ConversationId == c.Id && e.Metric == SlaMetric.Resolution && e.Kind == SlaEventKind.Breach),
                Score = feedback.CsatRatings.Where(r => r.ConversationId == c.Id).Select(r => (int?)r.Score).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var stats = new Dictionary<DayKey, DayStats>();
        foreach (var r in rows)
        {
            var key = new DayKey(DateOnly.FromDateTime(r.CreatedAt.UtcDateTime), r.Channel, r.TeamId?.Value ?? Guid.Empty);
            if (!stats.TryGetValue(key, out var s))
            {
                stats[key] = s = new DayStats();
            }

            s.Conversations++;
            if (r.Score is { } score)
            {
                s.CsatCount++;
                s.CsatSum += score;
                s.CsatSatisfied += score >= 4 ? 1 : 0;
            }

            if (r.UnderSla)
            {
                s.UnderSla++;
                if (r.FirstBreached || r.NextBreached || r.ResolutionBreached)
                {
                    s.AnyBreached++;
                    s.FirstResponseBreached += r.FirstBreached ? 1 : 0;
                    s.NextResponseBreached += r.NextBreached ? 1 : 0;
                    s.ResolutionBreached += r.ResolutionBreached ? 1 : 0;
                }
            }

            if (r.Merged)
            {
                s.Merged++;
                continue;
            }

            if (r.FirstRespondedAt is { } first)
            {
                s.FirstResponse.Add((first - r.CreatedAt).TotalMinutes);
            }

            if (r.ResolvedAt is { } resolved)
            {
                s.Resolution.Add((resolved - r.CreatedAt).TotalMinutes);
            }
        }

        return stats;
    }
}
