using System.Globalization;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>
/// A report's period: whole UTC days, both ends included, at most a year; optionally only one channel and/or one team
/// (<see cref="Guid.Empty"/>: conversations without a team). The agent report ignores the channel/team filter.
/// </summary>
public sealed record ReportRange(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public ChannelKind? Channel { get; init; }
    public Guid? TeamId { get; init; }

    public bool Includes(ChannelKind channel, Guid teamKey) => (Channel is null || Channel == channel) && (TeamId is null || TeamId == teamKey);

    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static Result<ReportRange> Create(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var end = to ?? today;
        var start = from ?? end.AddDays(-29);
        if (start > end)
        {
            return Error.Validation("report.range", "The period starts after it ends.");
        }

        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            return Error.Validation("report.range", $"A report covers at most {MaxDays} days.");
        }

        return new ReportRange(start, end);
    }
}

public sealed record VolumeRow(DateOnly Day, ChannelKind Channel, string Team, int Conversations);

/// <summary>Times in minutes (null when nothing was measured).</summary>
public sealed record ResponseTimeRow(ChannelKind Channel, string Team, int Conversations, int Responded, double? FirstResponseMedian, double? FirstResponseP90,
    int Resolved, double? ResolutionMedian, double? ResolutionP90);

/// <summary>Of the conversations opened under an SLA policy, how many breached each metric; compliance = share with no breach at all.</summary>
public sealed record SlaComplianceRow(string Team, int UnderSla, int FirstResponseBreached, int NextResponseBreached, int ResolutionBreached, int AnyBreached, double? Compliance);

/// <summary>CSAT of the conversations opened in the period: ratings, average score (1-5), share satisfied (4 or 5).</summary>
public sealed record CsatRow(string Team, int Ratings, double? Average, double? Satisfied);

/// <summary>
/// One agent over the conversations opened in the period (times in minutes; merged conversations count but have no times):
/// <list type="bullet">
/// <item><c>Assigned</c>: conversations whose assignee (now) is the agent.</item>
/// <item><c>Handled</c>: conversations in which the agent sent at least one public reply; <c>Replies</c>: those replies (private notes never count).</item>
/// <item><c>FirstResponses</c> and their median/p90: conversations whose first public agent reply was this agent's, timed from opening to that reply
/// (the same first-response time as the response-times report, credited to whoever gave it, assignee or not).</item>
/// <item><c>Resolved</c> and resolution median/p90: assigned conversations that are resolved, timed from opening.</item>
/// <item><c>Ratings</c>/<c>CsatAverage</c>/<c>CsatSatisfied</c>: CSAT ratings credited to the agent (the assignee when the customer rated).</item>
/// </list>
/// </summary>
public sealed record AgentPerformanceRow(Guid AgentId, string Agent, int Assigned, int Handled, int Replies, int FirstResponses, double? FirstResponseMedian,
    double? FirstResponseP90, int Resolved, double? ResolutionMedian, double? ResolutionP90, int Ratings, double? CsatAverage, double? CsatSatisfied);

/// <summary>
/// Reports over conversations opened in a period: volume, response and resolution times, SLA compliance, CSAT (JSON or
/// CSV). Closed days that the nightly roll-up has summarised are read from <see cref="DailyRollup"/> rows; the other days
/// (today, or anything not rolled up yet) are computed live from the conversations (by the CreatedAt index). Percentiles are
/// exact when every day was live, otherwise merged from the days' histograms (see <see cref="TimeHistogram"/>).
/// </summary>
public sealed class ReportQueries(IApplicationDbContext db, IReportsDbContext reports, DayStatsSource source, AgentStatsSource agentSource, TimeProvider time)
{
    private const string NoTeam = "No team";
    private const string UnknownAgent = "Unknown agent";

    public async Task<IReadOnlyList<VolumeRow>> VolumeAsync(ReportRange range, CancellationToken cancellationToken)
    {
        var (stats, teams) = await StatsAsync(range, cancellationToken);
        return stats
            .GroupBy(kv => (kv.Key.Day, kv.Key.Channel, Team: TeamName(teams, kv.Key.TeamKey)))
            .Select(g => new VolumeRow(g.Key.Day, g.Key.Channel, g.Key.Team, g.Sum(kv => kv.Value.Conversations)))
            .Where(r => r.Conversations > 0)
            .OrderBy(r => r.Day).ThenBy(r => r.Channel).ThenBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<ResponseTimeRow>> ResponseTimesAsync(ReportRange range, CancellationToken cancellationToken)
    {
        var (stats, teams) = await StatsAsync(range, cancellationToken);
        return stats
            .GroupBy(kv => (kv.Key.Channel, Team: TeamName(teams, kv.Key.TeamKey)))
            .Select(g => (g.Key, Sum: Sum(g.Select(kv => kv.Value))))
            .Where(x => x.Sum.Conversations > x.Sum.Merged)
            .Select(x => new ResponseTimeRow(x.Key.Channel, x.Key.Team, x.Sum.Conversations - x.Sum.Merged, x.Sum.Responded,
                x.Sum.FirstResponsePercentile(0.5), x.Sum.FirstResponsePercentile(0.9),
                x.Sum.Resolved, x.Sum.ResolutionPercentile(0.5), x.Sum.ResolutionPercentile(0.9)))
            .OrderBy(r => r.Channel).ThenBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<SlaComplianceRow>> SlaComplianceAsync(ReportRange range, CancellationToken cancellationToken)
    {
        var (stats, teams) = await StatsAsync(range, cancellationToken);
        return stats
            .GroupBy(kv => TeamName(teams, kv.Key.TeamKey))
            .Select(g => (Team: g.Key, Sum: Sum(g.Select(kv => kv.Value))))
            .Where(x => x.Sum.UnderSla > 0)
            .Select(x => new SlaComplianceRow(x.Team, x.Sum.UnderSla, x.Sum.FirstResponseBreached, x.Sum.NextResponseBreached, x.Sum.ResolutionBreached,
                x.Sum.AnyBreached, Math.Round(1.0 - ((double)x.Sum.AnyBreached / x.Sum.UnderSla), 4)))
            .OrderBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<CsatRow>> CsatAsync(ReportRange range, CancellationToken cancellationToken)
    {
        var (stats, teams) = await StatsAsync(range, cancellationToken);
        return stats
            .GroupBy(kv => TeamName(teams, kv.Key.TeamKey))
            .Select(g => (Team: g.Key, Sum: Sum(g.Select(kv => kv.Value))))
            .Where(x => x.Sum.CsatCount > 0)
            .Select(x => new CsatRow(x.Team, x.Sum.CsatCount, Math.Round((double)x.Sum.CsatSum / x.Sum.CsatCount, 2), Math.Round((double)x.Sum.CsatSatisfied / x.Sum.CsatCount, 4)))
            .OrderBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Per agent (definitions on <see cref="AgentPerformanceRow"/>): roll-ups for the rolled-up closed days, live for the rest.</summary>
    public async Task<IReadOnlyList<AgentPerformanceRow>> AgentsAsync(ReportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (from, to, today) = (range.From, range.To, Today());

        // A day is rolled up when it has DailyRollup rows: the roll-up writes a day's agent rows in the same save.
        var rolled = (await reports.DailyRollups.AsNoTracking().Where(r => r.Day >= from && r.Day <= to && r.Day < today).Select(r => r.Day).Distinct()
            .ToListAsync(cancellationToken)).ToHashSet();
        var rollups = await reports.AgentDailyRollups.AsNoTracking().Where(r => r.Day >= from && r.Day <= to && r.Day < today).ToListAsync(cancellationToken);
        var perAgent = new Dictionary<Guid, AgentDayStats>();
        void Add(Guid agent, AgentDayStats day)
        {
            if (!perAgent.TryGetValue(agent, out var sum))
            {
                perAgent[agent] = sum = new AgentDayStats();
            }

            sum.Add(day);
        }

        foreach (var r in rollups.Where(r => rolled.Contains(r.Day)))
        {
            Add(r.AgentId, AgentDayStats.From(r));
        }

        await ForUnrolledRunsAsync(range, rolled, async (start, end) =>
        {
            foreach (var (key, value) in await agentSource.LiveAsync(start, end, cancellationToken))
            {
                Add(key.AgentId, value);
            }
        });

        var ids = perAgent.Keys.Select(k => new Domain.Common.AgentId(k)).ToList();
        var names = await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id.Value, a => a.DisplayName, cancellationToken);
        return perAgent
            .Select(kv => (Id: kv.Key, Name: names.TryGetValue(kv.Key, out var name) ? name : UnknownAgent, S: kv.Value))
            .Select(x => new AgentPerformanceRow(x.Id, x.Name, x.S.Assigned, x.S.Handled, x.S.Replies,
                x.S.FirstResponse.Count, x.S.FirstResponse.Percentile(0.5), x.S.FirstResponse.Percentile(0.9),
                x.S.Resolution.Count, x.S.Resolution.Percentile(0.5), x.S.Resolution.Percentile(0.9),
                x.S.CsatCount, x.S.CsatCount > 0 ? Math.Round((double)x.S.CsatSum / x.S.CsatCount, 2) : null,
                x.S.CsatCount > 0 ? Math.Round((double)x.S.CsatSatisfied / x.S.CsatCount, 4) : null))
            .OrderBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.AgentId)
            .ToList();
    }

    /// <summary>The period's figures per day x channel x team: roll-ups for the closed days that have them, live for the rest.</summary>
    private async Task<(Dictionary<DayKey, DayStats> Stats, Dictionary<Guid, string> Teams)> StatsAsync(ReportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (from, to, today) = (range.From, range.To, Today());
        var rollups = await reports.DailyRollups.AsNoTracking().Where(r => r.Day >= from && r.Day <= to && r.Day < today).ToListAsync(cancellationToken);
        var stats = rollups.ToDictionary(r => new DayKey(r.Day, r.Channel, r.TeamKey), DayStats.From);
        await ForUnrolledRunsAsync(range, rollups.Select(r => r.Day).ToHashSet(), async (start, end) =>
        {
            foreach (var (key, value) in await source.LiveAsync(start, end, cancellationToken))
            {
                stats[key] = value;
            }
        });

        foreach (var key in stats.Keys.Where(k => !range.Includes(k.Channel, k.TeamKey)).ToList())
        {
            stats.Remove(key);
        }

        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id.Value, t => t.Name, cancellationToken);
        return (stats, teams);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Calls <paramref name="live"/> once per run of consecutive days of the range that are not rolled up, as [start, end).</summary>
    private static async Task ForUnrolledRunsAsync(ReportRange range, HashSet<DateOnly> rolled, Func<DateTimeOffset, DateTimeOffset, Task> live)
    {
        DateOnly? run = null;
        for (var day = range.From; day <= range.To.AddDays(1); day = day.AddDays(1))
        {
            if (day <= range.To && !rolled.Contains(day))
            {
                run ??= day;
                continue;
            }

            if (run is { } first)
            {
                await live(Start(first), Start(day));
                run = null;
            }
        }
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DayStats Sum(IEnumerable<DayStats> days)
    {
        var sum = new DayStats();
        foreach (var day in days)
        {
            sum.Add(day);
        }

        return sum;
    }

    /// <summary>Nearest-rank percentile of an ascending list (null when empty), rounded to 0.1.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 1);
    }

    private static string TeamName(Dictionary<Guid, string> teams, Guid key) =>
        key != Guid.Empty && teams.TryGetValue(key, out var name) ? name : NoTeam;
}

/// <summary>
/// RFC 4180 CSV: report rows (a header of the record's properties), or rows appended one at a time for streamed exports.
/// Invariant culture, quoted where needed, and a leading =, +, @, tab or carriage return (or a - not starting a number)
/// neutralised with a quote so that a spreadsheet never runs a cell as a formula.
/// </summary>
public static class Csv
{
    public static string Write<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var properties = typeof(T).GetProperties();
        var text = new StringBuilder();
        text.AppendJoin(',', properties.Select(p => Field(p.Name))).Append("\r\n");
        foreach (var row in rows)
        {
            AppendRow(text, properties.Select(p => p.GetValue(row)));
        }

        return text.ToString();
    }

    /// <summary>Appends one row of values (formatted by <see cref="Format"/>) and its line break.</summary>
    public static StringBuilder AppendRow(StringBuilder text, IEnumerable<object?> values)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AppendJoin(',', values.Select(v => Field(Format(v)))).Append("\r\n");
    }

    /// <summary>A value as text: invariant culture, days as yyyy-MM-dd, instants as UTC ISO 8601 to the second.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>One cell: formula-neutralised, quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '@' or '\t' or '\r' || (value[0] == '-' && (value.Length == 1 || !char.IsDigit(value[1]))))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
