using System.Globalization;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Sla;

/// <summary>A random calendar, an instant and two durations (in whole minutes) to probe the clock with.</summary>
public sealed record ClockScenario(BusinessHoursCalendar Calendar, DateTimeOffset At, TimeSpan A, TimeSpan B)
{
    public SlaClock Clock => SlaClock.For(Calendar);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"zone={Calendar.TimeZoneId} at={At:O} a={A} b={B} open=[{string.Join(", ", Calendar.Intervals)}] holidays=[{string.Join(", ", Calendar.Holidays)}]");
}

internal static class SlaGenerators
{
    /// <summary>Northern and southern DST, half- and 45-minute offsets, no DST at all.</summary>
    public static readonly string[] Zones =
        ["America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "Asia/Shanghai", "UTC"];

    /// <summary>DST change days of the zones above (local dates), where the probes concentrate.</summary>
    private static readonly DateTimeOffset[] DstChanges =
    [
        new(2025, 3, 9, 7, 0, 0, TimeSpan.Zero), new(2025, 11, 2, 6, 0, 0, TimeSpan.Zero),   // New York
        new(2025, 3, 30, 1, 0, 0, TimeSpan.Zero), new(2025, 10, 26, 1, 0, 0, TimeSpan.Zero), // London, Berlin
        new(2025, 4, 5, 16, 0, 0, TimeSpan.Zero), new(2025, 10, 4, 16, 0, 0, TimeSpan.Zero), // Sydney
        new(2025, 4, 5, 14, 0, 0, TimeSpan.Zero), new(2025, 9, 27, 14, 0, 0, TimeSpan.Zero), // Chatham
    ];

    private static readonly DateTimeOffset Base = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<TimeSpan> QuarterHour = Gen.Choose(0, 96).Select(q => TimeSpan.FromMinutes(15 * q));

    private static Gen<OpeningInterval[]> DayIntervals(DayOfWeek day) =>
        Gen.Frequency(
            (1, Gen.Constant(Array.Empty<OpeningInterval>())),
            (1, Gen.Constant(new[] { new OpeningInterval(day, TimeSpan.Zero, TimeSpan.FromDays(1)) })),
            (4, from a in QuarterHour
                from b in QuarterHour
                from c in QuarterHour
                from d in QuarterHour
                let cuts = new[] { a, b, c, d }.Order().ToArray()
                from two in Gen.Elements(true, false)
                select two
                    ? new[] { new OpeningInterval(day, cuts[0], cuts[1]), new OpeningInterval(day, cuts[2], cuts[3]) }.Where(i => i.Start < i.End).ToArray()
                    : new[] { new OpeningInterval(day, cuts[0], cuts[3]) }.Where(i => i.Start < i.End).ToArray()));

    public static readonly Gen<DateTimeOffset> Instant = Gen.Frequency(
        (1, Gen.Choose(0, 366 * 24 * 60).Select(m => Base.AddMinutes(m))),
        (2, from change in Gen.Elements(DstChanges)
            from minutes in Gen.Choose(-3 * 24 * 60, 3 * 24 * 60)
            select change.AddMinutes(minutes)));

    public static readonly Gen<BusinessHoursCalendar> Calendar =
        from zone in Gen.Elements(Zones)
        from days in Gen.CollectToArray(Enum.GetValues<DayOfWeek>().Select(DayIntervals))
        from fallbackDay in Gen.Elements(Enum.GetValues<DayOfWeek>())
        from holidayCount in Gen.Choose(0, 12)
        from holidays in Gen.ArrayOf(Instant.Select(i => DateOnly.FromDateTime(i.UtcDateTime).AddDays(i.Minute % 3 - 1)), holidayCount)
        let intervals = days.SelectMany(d => d).ToList()
        select BusinessHoursCalendar.Create("Probe", zone,
            intervals.Count > 0 ? intervals : [new OpeningInterval(fallbackDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17))],
            holidays).Value!;

    private static readonly Gen<TimeSpan> Duration = Gen.Frequency(
        (3, Gen.Choose(1, 8 * 60)),
        (1, Gen.Choose(1, 10 * 24 * 60))).Select(m => TimeSpan.FromMinutes(m));

    public static readonly Arbitrary<ClockScenario> Scenario = Arb.From(
        from calendar in Calendar
        from at in Instant
        from a in Duration
        from b in Duration
        select new ClockScenario(calendar, at, a, b));
}

public sealed class SlaClockProperties
{
    private const int Runs = 300;

    [Property(MaxTest = Runs)]
    public Property Add_ThenMeasure_RoundTrips() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            var due = s.Clock.Add(s.At, s.A);
            Assert.Equal(s.A, s.Clock.WorkingTimeBetween(s.At, due));
        });

    [Property(MaxTest = Runs)]
    public Property Add_PositiveDuration_DueFallsInOpenHours() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            var due = s.Clock.Add(s.At, s.A);
            Assert.True(due > s.At);
            Assert.True(s.Clock.IsOpen(due.AddTicks(-1)), $"due {due:O} is not the end of an open period");
            Assert.False(IsHoliday(s.Calendar, due.AddTicks(-1)), $"due {due:O} falls on a holiday");
        });

    [Property(MaxTest = Runs)]
    public Property Add_Twice_EqualsAddingTheSum() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
            Assert.Equal(s.Clock.Add(s.At, s.A + s.B), s.Clock.Add(s.Clock.Add(s.At, s.A), s.B)));

    [Property(MaxTest = Runs)]
    public Property WorkingTimeBetween_SplitAnywhere_Adds() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            var middle = s.At + s.A;
            var end = middle + s.B;
            Assert.Equal(s.Clock.WorkingTimeBetween(s.At, end), s.Clock.WorkingTimeBetween(s.At, middle) + s.Clock.WorkingTimeBetween(middle, end));
            Assert.True(s.Clock.WorkingTimeBetween(s.At, end) <= end - s.At);
        });

    [Property(MaxTest = Runs)]
    public Property WorkingTimeBetween_OverAHoliday_IsZero() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            foreach (var holiday in s.Calendar.Holidays)
            {
                var zone = s.Calendar.TimeZone;
                var start = TimeZoneInfo.ConvertTimeToUtc(holiday.ToDateTime(TimeOnly.MinValue), zone);
                var end = TimeZoneInfo.ConvertTimeToUtc(holiday.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
                Assert.Equal(TimeSpan.Zero, s.Clock.WorkingTimeBetween(new DateTimeOffset(start), new DateTimeOffset(end)));
            }
        });

    [Property(MaxTest = Runs)]
    public Property PlanSla_PendingThenReopened_ShiftsDueByThePausedWorkingTime() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            var targets = new SlaTargets(TimeSpan.FromDays(30), null, TimeSpan.FromDays(40));
            var conversation = Conversation.Open(1, Common.InboxId.New(), Common.ChannelKind.Email, Common.ContactId.New(), "Probe", null, Actor.System, s.At);
            conversation.PlanSla(null, targets, s.Clock, 0.75, s.At);
            var due = conversation.ResolutionDueAt!.Value;

            var pausedAt = s.At + s.A;
            var resumedAt = pausedAt + s.B;
            conversation.ChangeStatus(ConversationStatus.Pending, Alice, pausedAt);
            conversation.PlanSla(null, targets, s.Clock, 0.75, pausedAt);
            conversation.ChangeStatus(ConversationStatus.Open, Alice, resumedAt);
            conversation.PlanSla(null, targets, s.Clock, 0.75, resumedAt);

            var paused = s.Clock.WorkingTimeBetween(pausedAt, resumedAt);
            Assert.Equal(s.Clock.Add(due, paused), conversation.ResolutionDueAt);
            Assert.Equal(paused, conversation.SlaPausedWorkingTime);
        });

    [Property(MaxTest = Runs)]
    public Property PlanSla_WarningShare_WarnsBeforeDueAtThatShareOfTheTarget() =>
        Prop.ForAll(SlaGenerators.Scenario, s =>
        {
            var targets = new SlaTargets(s.A, null, s.A + s.B);
            var conversation = Conversation.Open(1, Common.InboxId.New(), Common.ChannelKind.Email, Common.ContactId.New(), "Probe", null, Actor.System, s.At);
            conversation.PlanSla(null, targets, s.Clock, 0.75, s.At);

            Assert.True(conversation.FirstResponseWarnAt <= conversation.FirstResponseDueAt);
            Assert.Equal(s.A * 0.75, s.Clock.WorkingTimeBetween(s.At, conversation.FirstResponseWarnAt!.Value));
            Assert.Equal(s.A, s.Clock.WorkingTimeBetween(s.At, conversation.FirstResponseDueAt!.Value));
        });

    private static bool IsHoliday(BusinessHoursCalendar calendar, DateTimeOffset instant) =>
        calendar.Holidays.Contains(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, calendar.TimeZone).DateTime));
}
