using ContactCenter.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Reports;

public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>When the nightly roll-up runs (Quartz cron, UTC); empty turns the schedule off.</summary>
    public string RollupCron { get; set; } = "0 15 0 * * ?";

    /// <summary>Closed days rolled up again every night, for conversations that are answered or resolved days after they opened.</summary>
    public int RollupLookbackDays { get; set; } = 14;

    /// <summary>How far back the first roll-up goes on a database that has none yet.</summary>
    public int MaxBackfillDays { get; set; } = 400;
}

public sealed record RollupReport(DateOnly? From, DateOnly? To, int Days, int Rows);

/// <summary>
/// The nightly roll-up: one <see cref="DailyRollup"/> row per closed UTC day x channel x team and one <see cref="AgentDailyRollup"/> per day x agent. Each day is replaced whole in
/// one save; a node that loses a race with another (unique day x channel x team) drops its attempt.
/// </summary>
public sealed partial class ReportRollupService(IApplicationDbContext db, IReportsDbContext reports, DayStatsSource source, AgentStatsSource agentSource, TimeProvider time,
    IOptions<ReportOptions> options, ILogger<ReportRollupService> logger)
{
    public async Task<RollupReport> RollUpAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var yesterday = today.AddDays(-1);
        // A run at time T rolled every closed day up to T's yesterday (empty days leave no row, so the watermark is the
        // latest run's time, not the latest day).
        var lastRun = (await reports.DailyRollups.AsNoTracking().Select(r => r.ComputedAt).ToListAsync(cancellationToken)).DefaultIfEmpty().Max();
        DateOnly from;
        if (lastRun != default)
        {
            var next = DateOnly.FromDateTime(lastRun.UtcDateTime);
            var lookback = yesterday.AddDays(1 - Math.Max(1, options.Value.RollupLookbackDays));
            from = next < lookback ? next : lookback;
        }
        else
        {
            var first = await db.Conversations.AsNoTracking().MinAsync(c => (DateTimeOffset?)c.CreatedAt, cancellationToken);
            if (first is null)
            {
                return new RollupReport(null, null, 0, 0);
            }

            var earliest = today.AddDays(-Math.Max(1, options.Value.MaxBackfillDays));
            var firstDay = DateOnly.FromDateTime(first.Value.UtcDateTime);
            from = firstDay > earliest ? firstDay : earliest;
        }

        int days = 0, rows = 0;
        for (var day = from; day <= yesterday; day = day.AddDays(1))
        {
            rows += await RollUpDayAsync(day, cancellationToken);
            days++;
        }

        LogRolledUp(logger, days, rows, from, yesterday);
        return new RollupReport(days > 0 ? from : null, days > 0 ? yesterday : null, days, rows);
    }

    /// <summary>Replaces one day's roll-up rows, day x channel x team and day x agent, in one save (returns how many day x channel x team rows were written).</summary>
    public async Task<int> RollUpDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var stats = await source.LiveAsync(start, start.AddDays(1), cancellationToken);
        var agents = await agentSource.LiveAsync(start, start.AddDays(1), cancellationToken);
        reports.DailyRollups.RemoveRange(await reports.DailyRollups.Where(r => r.Day == day).ToListAsync(cancellationToken));
        reports.AgentDailyRollups.RemoveRange(await reports.AgentDailyRollups.Where(r => r.Day == day).ToListAsync(cancellationToken));
        var now = time.GetUtcNow();
        reports.DailyRollups.AddRange(stats.Select(kv => kv.Value.ToRollup(kv.Key, now)));
        reports.AgentDailyRollups.AddRange(agents.Select(kv => kv.Value.ToRollup(kv.Key, now)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException)
        {
            // Another node rolled this day up at the same time: its rows stand.
            db.DiscardChanges();
            return 0;
        }

        db.DiscardChanges();
        return stats.Count;
    }

    [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "Report roll-up: {Days} day(s), {Rows} row(s), {From} to {To}")]
    private static partial void LogRolledUp(ILogger logger, int days, int rows, DateOnly from, DateOnly to);
}
