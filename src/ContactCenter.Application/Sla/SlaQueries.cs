using System.Globalization;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Sla;

/// <summary>A conversation on the supervisor's SLA lists.</summary>
public sealed record SlaWatchItem(Guid ConversationId, long Number, string Subject, Guid? TeamId, Guid? AssigneeId, Priority Priority, SlaMetric Metric, DateTimeOffset DueAt, SlaState State);

public sealed record SlaWatchList(DateTimeOffset At, IReadOnlyList<SlaWatchItem> AtRisk, IReadOnlyList<SlaWatchItem> Breached);

public sealed class SlaQueries(IApplicationDbContext db, ISlaDbContext sla, TimeProvider time)
{
    public async Task<IReadOnlyList<BusinessHoursDto>> CalendarsAsync(CancellationToken cancellationToken)
    {
        var calendars = await sla.BusinessHours.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.BusinessHoursId != null).Select(t => new { t.Id, t.BusinessHoursId }).ToListAsync(cancellationToken);
        return calendars.Select(c => ToDto(c, teams.Where(t => t.BusinessHoursId == c.Id).Select(t => t.Id.Value).ToList())).ToList();
    }

    public async Task<IReadOnlyList<SlaPolicyDto>> PoliciesAsync(CancellationToken cancellationToken)
    {
        var policies = await sla.SlaPolicies.AsNoTracking().ToListAsync(cancellationToken);
        return policies.OrderBy(p => p.Order).ThenBy(p => p.Id.Value).Select(ToDto).ToList();
    }

    /// <summary>Running conversations past their warning time (at risk) or due time (breached), most urgent first.</summary>
    public async Task<SlaWatchList> WatchListAsync(int take, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var candidates = await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Snoozed) && c.MergedIntoId == null)
            .Where(c => c.FirstResponseWarnAt <= now || c.NextResponseWarnAt <= now || c.ResolutionWarnAt <= now)
            .Take(Math.Clamp(take, 1, 500) * 4)
            .ToListAsync(cancellationToken);
        var items = candidates
            .Select(c => (Conversation: c, Sla: SlaStatusDto.From(c)))
            .Where(x => x.Sla is not null)
            .Select(x => new SlaWatchItem(x.Conversation.Id.Value, x.Conversation.Number, x.Conversation.Subject, x.Conversation.TeamId?.Value, x.Conversation.AssigneeId?.Value,
                x.Conversation.Priority, x.Sla!.NextMetric!.Value, x.Sla.NextDueAt!.Value, x.Sla.StateAt(now)))
            .OrderBy(i => i.DueAt)
            .ToList();
        return new SlaWatchList(now,
            items.Where(i => i.State == SlaState.AtRisk).Take(take).ToList(),
            items.Where(i => i.State == SlaState.Breached).Take(take).ToList());
    }

    internal static BusinessHoursDto ToDto(BusinessHoursCalendar c, IReadOnlyList<Guid> teamIds) => new(
        c.Id.Value, c.Name, c.TimeZoneId,
        c.Intervals.Select(i => new OpeningIntervalInput(i.Day, Time(i.Start), Time(i.End))).ToList(),
        c.Holidays, teamIds);

    internal static SlaPolicyDto ToDto(SlaPolicy p) => new(
        p.Id.Value, p.Name, p.Order, p.Enabled,
        new SlaConditionsInput(p.Conditions.Channels, p.Conditions.Teams.Select(t => t.Value).ToList(), p.Conditions.Tags, p.Conditions.ContactAttributes),
        p.Targets.ToDictionary(kv => kv.Key, kv => new SlaTargetsInput(Minutes(kv.Value.FirstResponse), Minutes(kv.Value.NextResponse), Minutes(kv.Value.Resolution))));

    private static int? Minutes(TimeSpan? t) => t is { } v ? (int)v.TotalMinutes : null;

    private static string Time(TimeSpan t) => t >= TimeSpan.FromDays(1) ? "24:00" : t.ToString("hh\\:mm", CultureInfo.InvariantCulture);
}
