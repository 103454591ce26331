namespace ContactCenter.Domain.Sla;

/// <summary>
/// Working-time arithmetic over a <see cref="BusinessHoursCalendar"/> (pure: no clock, no I/O). Adding working time to
/// an instant gives the instant that much open time later; measuring gives the open time between two instants.
/// Local opening times are turned into instants day by day, so DST changes are exact: a local time skipped by a
/// spring-forward gap moves forward by the gap (lenient), an opening that spans a repeated fall-back hour lasts that hour
/// longer. Holidays close their whole local date. Without a calendar the clock is always open (24/7).
/// </summary>
public sealed class SlaClock
{
    /// <summary>Openings are searched at most this far ahead; a valid calendar (one interval or more, finitely many holidays) always opens well before.</summary>
    private const int MaxSearchDays = 366 * 30;

    private readonly TimeZoneInfo? _zone;
    private readonly ILookup<DayOfWeek, OpeningInterval>? _byDay;
    private readonly HashSet<DateOnly>? _holidays;

    private SlaClock(TimeZoneInfo? zone, IEnumerable<OpeningInterval>? intervals, IEnumerable<DateOnly>? holidays)
    {
        _zone = zone;
        _byDay = intervals?.OrderBy(i => i.Start).ToLookup(i => i.Day);
        _holidays = holidays is null ? null : [.. holidays];
    }

    /// <summary>24/7: working time is elapsed time.</summary>
    public static SlaClock AlwaysOpen { get; } = new(null, null, null);

    public static SlaClock For(BusinessHoursCalendar? calendar) =>
        calendar is null ? AlwaysOpen : new SlaClock(calendar.TimeZone, calendar.Intervals, calendar.Holidays);

    public bool IsAlwaysOpen => _zone is null;

    /// <summary>The instant <paramref name="working"/> of open time after <paramref name="from"/> (from itself for zero or less).</summary>
    public DateTimeOffset Add(DateTimeOffset from, TimeSpan working)
    {
        if (working <= TimeSpan.Zero)
        {
            return from;
        }

        if (IsAlwaysOpen)
        {
            return from + working;
        }

        var remaining = working;
        foreach (var (start, end) in OpenSegments(from))
        {
            var begin = start > from ? start : from;
            var available = end - begin;
            if (remaining <= available)
            {
                return (begin + remaining).ToOffset(from.Offset);
            }

            remaining -= available;
        }

        throw new InvalidOperationException("The calendar never opens.");
    }

    /// <summary>Open time in [from, to); zero when to is not after from.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (IsAlwaysOpen)
        {
            return to - from;
        }

        var total = TimeSpan.Zero;
        foreach (var (start, end) in OpenSegments(from))
        {
            if (start >= to)
            {
                break;
            }

            var begin = start > from ? start : from;
            var finish = end < to ? end : to;
            total += finish - begin;
        }

        return total;
    }

    /// <summary>True when the instant lies inside an opening.</summary>
    public bool IsOpen(DateTimeOffset instant)
    {
        if (IsAlwaysOpen)
        {
            return true;
        }

        var (start, end) = OpenSegments(instant).First();
        return start <= instant && instant < end;
    }

    /// <summary>Merged open periods (as UTC instants) that end after <paramref name="from"/>, in order.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> OpenSegments(DateTimeOffset from)
    {
        var zone = _zone!;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        (DateTimeOffset Start, DateTimeOffset End)? pending = null;
        for (var n = 0; n < MaxSearchDays; n++, day = day.AddDays(1))
        {
            if (_holidays!.Contains(day))
            {
                continue;
            }

            var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            foreach (var interval in _byDay![day.DayOfWeek])
            {
                var start = ToInstant(zone, midnight + interval.Start, earliest: true);
                var end = ToInstant(zone, midnight + interval.End, earliest: false);
                if (end <= start || end <= from)
                {
                    continue;
                }

                // Only overlaps merge (a repeated fall-back hour); touching periods stay apart, so a 24/7 calendar still yields day by day.
                if (pending is { } p && start < p.End)
                {
                    pending = (p.Start, end > p.End ? end : p.End);
                    continue;
                }

                if (pending is { } ready)
                {
                    yield return ready;
                }

                pending = (start, end);
            }
        }

        if (pending is { } last)
        {
            yield return last;
        }
    }

    /// <summary>A local wall time as an instant: skipped times move forward by the gap; repeated times take the first or last occurrence.</summary>
    private static DateTimeOffset ToInstant(TimeZoneInfo zone, DateTime local, bool earliest)
    {
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddDays(-1));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            offset = earliest ? offsets.Max() : offsets.Min();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local - offset, DateTimeKind.Utc));
    }
}
