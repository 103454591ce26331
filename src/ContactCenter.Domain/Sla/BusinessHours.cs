using System.Globalization;
using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Sla;

public readonly record struct BusinessHoursId(Guid Value)
{
    public static BusinessHoursId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

/// <summary>One opening on a weekday, in the calendar's local time: [Start, End), End up to 24:00.</summary>
public sealed record OpeningInterval(DayOfWeek Day, TimeSpan Start, TimeSpan End)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Day} {Start:hh\\:mm}-{(End == TimeSpan.FromDays(1) ? "24:00" : End.ToString("hh\\:mm", CultureInfo.InvariantCulture))}");
}

/// <summary>
/// A team's working calendar: an IANA/Windows time zone, weekly opening intervals and holidays (whole local dates).
/// SLA targets count only the time it is open (see <see cref="SlaClock"/>).
/// </summary>
public sealed class BusinessHoursCalendar
{
    public const int MaxNameLength = 80;
    public const int MaxHolidays = 500;

    private IReadOnlyList<OpeningInterval> _intervals = [];
    private IReadOnlyList<DateOnly> _holidays = [];

    private BusinessHoursCalendar() { }

    public BusinessHoursId Id { get; private set; }
    public string Name { get; private set; } = "";
    public string TimeZoneId { get; private set; } = "UTC";
    public IReadOnlyList<OpeningInterval> Intervals => _intervals;
    public IReadOnlyList<DateOnly> Holidays => _holidays;

    public static Result<BusinessHoursCalendar> Create(string name, string timeZoneId, IEnumerable<OpeningInterval> intervals, IEnumerable<DateOnly>? holidays = null)
    {
        var calendar = new BusinessHoursCalendar { Id = BusinessHoursId.New() };
        var updated = calendar.Update(name, timeZoneId, intervals, holidays);
        return updated.IsSuccess ? calendar : updated.Error!;
    }

    public Result Update(string name, string timeZoneId, IEnumerable<OpeningInterval> intervals, IEnumerable<DateOnly>? holidays = null)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            return Error.Validation("business_hours.name", $"A calendar name is 1 to {MaxNameLength} characters.");
        }

        if (!TryFindTimeZone(timeZoneId, out _))
        {
            return Error.Validation("business_hours.time_zone", $"Unknown time zone '{timeZoneId}'.");
        }

        var list = intervals.ToList();
        if (list.Count == 0)
        {
            return Error.Validation("business_hours.intervals", "A calendar needs at least one opening interval.");
        }

        foreach (var i in list)
        {
            if (!Enum.IsDefined(i.Day) || i.Start < TimeSpan.Zero || i.End > TimeSpan.FromDays(1) || i.Start >= i.End)
            {
                return Error.Validation("business_hours.interval", $"Opening interval '{i}' must start before it ends, within one day (00:00–24:00).");
            }
        }

        foreach (var day in list.GroupBy(i => i.Day))
        {
            var ordered = day.OrderBy(i => i.Start).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                if (ordered[k].Start < ordered[k - 1].End)
                {
                    return Error.Validation("business_hours.overlap", $"Opening intervals overlap on {day.Key}.");
                }
            }
        }

        var days = (holidays ?? []).Distinct().Order().ToList();
        if (days.Count > MaxHolidays)
        {
            return Error.Validation("business_hours.holidays", $"A calendar has at most {MaxHolidays} holidays.");
        }

        Name = name.Trim();
        TimeZoneId = timeZoneId.Trim();
        _intervals = list.OrderBy(i => i.Day).ThenBy(i => i.Start).ToList();
        _holidays = days;
        return Result.Success();
    }

    /// <summary>The calendar's time zone (validated on create/update).</summary>
    public TimeZoneInfo TimeZone => TryFindTimeZone(TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    public static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!);
    }
}
