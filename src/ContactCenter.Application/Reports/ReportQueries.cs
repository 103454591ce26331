using System.Globalization;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>A report's period: whole UTC days, both ends included, at most a year.</summary>
public sealed record ReportRange(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

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

/// <summary>Reports over conversations opened in a period: volume, response and resolution times, SLA compliance (JSON or CSV).</summary>
public sealed class ReportQueries(IApplicationDbContext db, ISlaDbContext sla)
{
    private const string NoTeam = "No team";

    public async Task<IReadOnlyList<VolumeRow>> VolumeAsync(ReportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (start, end) = (range.Start, range.End);
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end)
            .Select(c => new { c.CreatedAt, c.Channel, c.TeamId })
            .ToListAsync(cancellationToken);
        var teams = await TeamNamesAsync(cancellationToken);
        return rows
            .GroupBy(r => (Day: DateOnly.FromDateTime(r.CreatedAt.UtcDateTime), r.Channel, Team: TeamName(teams, r.TeamId)))
            .Select(g => new VolumeRow(g.Key.Day, g.Key.Channel, g.Key.Team, g.Count()))
            .OrderBy(r => r.Day).ThenBy(r => r.Channel).ThenBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<ResponseTimeRow>> ResponseTimesAsync(ReportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (start, end) = (range.Start, range.End);
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end && c.MergedIntoId == null)
            .Select(c => new { c.Channel, c.TeamId, c.CreatedAt, c.FirstRespondedAt, c.ResolvedAt })
            .ToListAsync(cancellationToken);
        var teams = await TeamNamesAsync(cancellationToken);
        return rows
            .GroupBy(r => (r.Channel, Team: TeamName(teams, r.TeamId)))
            .Select(g =>
            {
                var first = g.Where(r => r.FirstRespondedAt is not null).Select(r => (r.FirstRespondedAt!.Value - r.CreatedAt).TotalMinutes).Order().ToList();
                var resolution = g.Where(r => r.ResolvedAt is not null).Select(r => (r.ResolvedAt!.Value - r.CreatedAt).TotalMinutes).Order().ToList();
                return new ResponseTimeRow(g.Key.Channel, g.Key.Team, g.Count(), first.Count, Percentile(first, 0.5), Percentile(first, 0.9),
                    resolution.Count, Percentile(resolution, 0.5), Percentile(resolution, 0.9));
            })
            .OrderBy(r => r.Channel).ThenBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<SlaComplianceRow>> SlaComplianceAsync(ReportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (start, end) = (range.Start, range.End);
        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end && c.SlaPolicyId != null)
            .Select(c => new { c.Id, c.TeamId })
            .ToListAsync(cancellationToken);
        var breaches = await sla.SlaEvents.AsNoTracking()
            .Where(e => e.Kind == SlaEventKind.Breach)
            .Join(db.Conversations.Where(c => c.CreatedAt >= start && c.CreatedAt < end && c.SlaPolicyId != null), e => e.ConversationId, c => c.Id, (e, c) => new { e.ConversationId, e.Metric })
            .ToListAsync(cancellationToken);
        var byConversation = breaches.ToLookup(b => b.ConversationId, b => b.Metric);
        var teams = await TeamNamesAsync(cancellationToken);
        return conversations
            .GroupBy(c => TeamName(teams, c.TeamId))
            .Select(g =>
            {
                var metrics = g.Select(c => byConversation[c.Id].ToHashSet()).ToList();
                var any = metrics.Count(m => m.Count > 0);
                return new SlaComplianceRow(g.Key, g.Count(),
                    metrics.Count(m => m.Contains(SlaMetric.FirstResponse)),
                    metrics.Count(m => m.Contains(SlaMetric.NextResponse)),
                    metrics.Count(m => m.Contains(SlaMetric.Resolution)),
                    any, g.Any() ? Math.Round(1.0 - ((double)any / g.Count()), 4) : null);
            })
            .OrderBy(r => r.Team, StringComparer.Ordinal)
            .ToList();
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

    private async Task<Dictionary<TeamId, string>> TeamNamesAsync(CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

    private static string TeamName(Dictionary<TeamId, string> teams, TeamId? id) =>
        id is { } t && teams.TryGetValue(t, out var name) ? name : NoTeam;
}

/// <summary>RFC 4180 CSV of report rows: a header of the record's properties, invariant culture, quoted where needed.</summary>
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
            text.AppendJoin(',', properties.Select(p => Field(Format(p.GetValue(row))))).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string value)
    {
        // A leading =, +, - or @ would be a formula in a spreadsheet: neutralise it.
        if (value.Length > 0 && value[0] is '=' or '+' or '@' || (value.Length > 1 && value[0] == '-' && !char.IsDigit(value[1])))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
