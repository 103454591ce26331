using System.Globalization;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Sla;

/// <summary>An opening in local time: "09:00" to "17:30" ("24:00" ends at midnight).</summary>
public sealed record OpeningIntervalInput(DayOfWeek Day, string Start, string End);

public sealed record BusinessHoursInput(string Name, string TimeZone, IReadOnlyList<OpeningIntervalInput>? Intervals, IReadOnlyList<DateOnly>? Holidays);

public sealed record BusinessHoursDto(Guid Id, string Name, string TimeZone, IReadOnlyList<OpeningIntervalInput> Intervals, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<Guid> TeamIds);

/// <summary>Targets in minutes of working time (null: no target).</summary>
public sealed record SlaTargetsInput(int? FirstResponseMinutes, int? NextResponseMinutes, int? ResolutionMinutes);

public sealed record SlaConditionsInput(IReadOnlyList<ChannelKind>? Channels, IReadOnlyList<Guid>? TeamIds, IReadOnlyList<string>? Tags, IReadOnlyDictionary<string, string>? ContactAttributes);

public sealed record SlaPolicyInput(string Name, int Order, bool Enabled, SlaConditionsInput? Conditions, IReadOnlyDictionary<Priority, SlaTargetsInput>? Targets);

public sealed record SlaPolicyDto(Guid Id, string Name, int Order, bool Enabled, SlaConditionsInput Conditions, IReadOnlyDictionary<Priority, SlaTargetsInput> Targets);

/// <summary>Admin use cases: business-hours calendars, a team's calendar, SLA policies. Every change resets this node's SLA cache.</summary>
public sealed class SlaAdministration(IApplicationDbContext db, ISlaDbContext sla, SlaPlanner planner)
{
    public async Task<Result<BusinessHoursDto>> CreateCalendarAsync(BusinessHoursInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var intervals = ParseIntervals(input.Intervals);
        if (!intervals.IsSuccess)
        {
            return intervals.Error!;
        }

        var created = BusinessHoursCalendar.Create(input.Name, input.TimeZone, intervals.Value!, input.Holidays);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        if (await sla.BusinessHours.AnyAsync(c => c.Name == created.Value!.Name, cancellationToken))
        {
            return Error.Conflict("business_hours.name_taken", "Another calendar has this name.");
        }

        sla.BusinessHours.Add(created.Value!);
        return await SaveAsync(() => SlaQueries.ToDto(created.Value!, []), cancellationToken);
    }

    public async Task<Result<BusinessHoursDto>> UpdateCalendarAsync(BusinessHoursId id, BusinessHoursInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var calendar = await sla.BusinessHours.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (calendar is null)
        {
            return Error.NotFound("Business-hours calendar");
        }

        var intervals = ParseIntervals(input.Intervals);
        if (!intervals.IsSuccess)
        {
            return intervals.Error!;
        }

        var updated = calendar.Update(input.Name, input.TimeZone, intervals.Value!, input.Holidays);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        if (await sla.BusinessHours.AnyAsync(c => c.Name == calendar.Name && c.Id != id, cancellationToken))
        {
            return Error.Conflict("business_hours.name_taken", "Another calendar has this name.");
        }

        var teams = await db.Teams.AsNoTracking().Where(t => t.BusinessHoursId == id).Select(t => t.Id.Value).ToListAsync(cancellationToken);
        return await SaveAsync(() => SlaQueries.ToDto(calendar, teams), cancellationToken);
    }

    /// <summary>Gives a team a calendar (null: 24/7). Due times of its conversations follow on their next change.</summary>
    public async Task<Result> SetTeamCalendarAsync(TeamId teamId, BusinessHoursId? calendarId, CancellationToken cancellationToken)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken);
        if (team is null)
        {
            return Error.NotFound("Team");
        }

        if (calendarId is { } c && !await sla.BusinessHours.AnyAsync(x => x.Id == c, cancellationToken))
        {
            return Error.Validation("business_hours.not_found", "No such calendar.");
        }

        team.UseBusinessHours(calendarId);
        var saved = await SaveAsync(() => true, cancellationToken);
        return saved.IsSuccess ? Result.Success() : saved.Error!;
    }

    public async Task<Result<SlaPolicyDto>> CreatePolicyAsync(SlaPolicyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (conditions, targets) = Parse(input);
        var created = SlaPolicy.Create(input.Name, input.Order, conditions, targets, input.Enabled);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        if (await sla.SlaPolicies.AnyAsync(p => p.Name == created.Value!.Name, cancellationToken))
        {
            return Error.Conflict("sla_policy.name_taken", "Another policy has this name.");
        }

        sla.SlaPolicies.Add(created.Value!);
        return await SaveAsync(() => SlaQueries.ToDto(created.Value!), cancellationToken);
    }

    public async Task<Result<SlaPolicyDto>> UpdatePolicyAsync(SlaPolicyId id, SlaPolicyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policy = await sla.SlaPolicies.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return Error.NotFound("SLA policy");
        }

        var (conditions, targets) = Parse(input);
        var updated = policy.Update(input.Name, input.Order, conditions, targets, input.Enabled);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        if (await sla.SlaPolicies.AnyAsync(p => p.Name == policy.Name && p.Id != id, cancellationToken))
        {
            return Error.Conflict("sla_policy.name_taken", "Another policy has this name.");
        }

        return await SaveAsync(() => SlaQueries.ToDto(policy), cancellationToken);
    }

    private async Task<Result<T>> SaveAsync<T>(Func<T> result, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            db.DiscardChanges();
            return Error.Conflict("sla.name_taken", "The name was just taken.");
        }

        planner.Invalidate();
        return result();
    }

    private static (SlaConditions Conditions, IReadOnlyDictionary<Priority, SlaTargets> Targets) Parse(SlaPolicyInput input)
    {
        var c = input.Conditions;
        var conditions = new SlaConditions(
            c?.Channels?.Distinct().ToList() ?? [],
            c?.TeamIds?.Distinct().Select(t => new TeamId(t)).ToList() ?? [],
            c?.Tags?.ToList() ?? [],
            new Dictionary<string, string>(c?.ContactAttributes ?? new Dictionary<string, string>(), StringComparer.Ordinal));
        var targets = (input.Targets ?? new Dictionary<Priority, SlaTargetsInput>()).ToDictionary(
            kv => kv.Key,
            kv => new SlaTargets(Minutes(kv.Value.FirstResponseMinutes), Minutes(kv.Value.NextResponseMinutes), Minutes(kv.Value.ResolutionMinutes)));
        return (conditions, targets);
    }

    private static TimeSpan? Minutes(int? minutes) => minutes is { } m ? TimeSpan.FromMinutes(m) : null;

    private static Result<List<OpeningInterval>> ParseIntervals(IReadOnlyList<OpeningIntervalInput>? inputs)
    {
        var intervals = new List<OpeningInterval>();
        foreach (var i in inputs ?? [])
        {
            if (ParseTime(i.Start) is not { } start || ParseTime(i.End) is not { } end)
            {
                return Error.Validation("business_hours.interval", $"'{i.Start}'–'{i.End}' on {i.Day}: times are HH:mm, 00:00 to 24:00.");
            }

            intervals.Add(new OpeningInterval(i.Day, start, end));
        }

        return intervals;
    }

    private static TimeSpan? ParseTime(string? text)
    {
        if (text?.Trim() == "24:00")
        {
            return TimeSpan.FromDays(1);
        }

        return TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.ToTimeSpan() : null;
    }
}
