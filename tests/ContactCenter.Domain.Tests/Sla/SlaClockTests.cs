using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Sla;

public sealed class SlaClockTests
{
    private static BusinessHoursCalendar Calendar(string zone, TimeSpan start, TimeSpan end, params DateOnly[] holidays) =>
        BusinessHoursCalendar.Create("Test", zone, Enum.GetValues<DayOfWeek>().Select(d => new OpeningInterval(d, start, end)), holidays).Value!;

    private static BusinessHoursCalendar Weekdays(string zone, params DateOnly[] holidays) =>
        BusinessHoursCalendar.Create("Office", zone,
            new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new OpeningInterval(d, TimeSpan.FromHours(9), TimeSpan.FromHours(17))), holidays).Value!;

    [Theory]
    [InlineData("America/New_York", 2025, 3, 9, 23)]
    [InlineData("America/New_York", 2025, 11, 2, 25)]
    [InlineData("Europe/London", 2025, 3, 30, 23)]
    [InlineData("Europe/London", 2025, 10, 26, 25)]
    [InlineData("Australia/Sydney", 2025, 4, 6, 25)]
    [InlineData("Asia/Shanghai", 2025, 3, 9, 24)]
    public void WorkingTimeBetween_AllDayOpenOnADstChangeDay_CountsTheRealHours(string zone, int year, int month, int day, int hours)
    {
        var clock = SlaClock.For(Calendar(zone, TimeSpan.Zero, TimeSpan.FromDays(1)));
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var date = new DateOnly(year, month, day);
        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), tz));
        var end = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), tz));

        Assert.Equal(TimeSpan.FromHours(hours), clock.WorkingTimeBetween(start.AddDays(-1), end.AddDays(1)) - TimeSpan.FromHours(48));
    }

    [Fact]
    public void Add_FridayAfternoonInNewYork_ContinuesMondayMorning()
    {
        var clock = SlaClock.For(Weekdays("America/New_York"));
        var friday4pm = new DateTimeOffset(2025, 3, 7, 16, 0, 0, TimeSpan.FromHours(-5));

        var due = clock.Add(friday4pm, TimeSpan.FromHours(2));

        // Monday 10:00 local, already on daylight time (the change was Sunday).
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 14, 0, 0, TimeSpan.Zero), due.ToUniversalTime());
    }

    [Fact]
    public void Add_AcrossAHoliday_SkipsTheWholeDay()
    {
        var clock = SlaClock.For(Weekdays("Asia/Shanghai", new DateOnly(2025, 10, 1)));
        var tuesday4pm = new DateTimeOffset(2025, 9, 30, 16, 0, 0, TimeSpan.FromHours(8));

        var due = clock.Add(tuesday4pm, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2025, 10, 2, 10, 0, 0, TimeSpan.FromHours(8)), due);
    }

    [Fact]
    public void Add_InsideASpringForwardGap_OpensWhenTheGapEnds()
    {
        // Open 02:00–04:00 every day; on 2025-03-09 New York skips 02:00–03:00, so that day has one open hour.
        var clock = SlaClock.For(Calendar("America/New_York", TimeSpan.FromHours(2), TimeSpan.FromHours(4)));
        var sundayMidnight = new DateTimeOffset(2025, 3, 9, 0, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal(TimeSpan.FromHours(1), clock.WorkingTimeBetween(sundayMidnight, sundayMidnight.AddHours(12)));
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 3, 30, 0, TimeSpan.FromHours(-4)), clock.Add(sundayMidnight, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void AlwaysOpen_AddsElapsedTime()
    {
        Assert.Equal(Now.AddHours(5), SlaClock.AlwaysOpen.Add(Now, TimeSpan.FromHours(5)));
        Assert.Equal(TimeSpan.FromHours(5), SlaClock.AlwaysOpen.WorkingTimeBetween(Now, Now.AddHours(5)));
    }

    [Fact]
    public void Create_UnknownZoneOrBadInterval_IsAValidationError()
    {
        Assert.Equal("validation.business_hours.time_zone", BusinessHoursCalendar.Create("x", "Mars/Olympus", [new(DayOfWeek.Monday, TimeSpan.Zero, TimeSpan.FromHours(1))]).Error!.Code);
        Assert.Equal("validation.business_hours.interval", BusinessHoursCalendar.Create("x", "UTC", [new(DayOfWeek.Monday, TimeSpan.FromHours(3), TimeSpan.FromHours(1))]).Error!.Code);
        Assert.Equal("validation.business_hours.overlap", BusinessHoursCalendar.Create("x", "UTC",
            [new(DayOfWeek.Monday, TimeSpan.Zero, TimeSpan.FromHours(3)), new(DayOfWeek.Monday, TimeSpan.FromHours(2), TimeSpan.FromHours(4))]).Error!.Code);
        Assert.Equal("validation.business_hours.intervals", BusinessHoursCalendar.Create("x", "UTC", []).Error!.Code);
    }
}

public sealed class SlaPolicyTests
{
    private static readonly Dictionary<string, string> NoAttributes = new(StringComparer.Ordinal);

    private static SlaPolicy Policy(string name, int order, SlaConditions conditions, bool enabled = true) =>
        SlaPolicy.Create(name, order, conditions, new Dictionary<Priority, SlaTargets> { [Priority.Normal] = new(TimeSpan.FromHours(1), null, null) }, enabled).Value!;

    [Fact]
    public void Select_SeveralMatch_LowestOrderWins()
    {
        var conversation = NewConversation(ChannelKind.Email);
        var any = Policy("Default", 10, SlaConditions.Any);
        var email = Policy("Email", 1, SlaConditions.Any with { Channels = [ChannelKind.Email] });
        var chat = Policy("Chat", 0, SlaConditions.Any with { Channels = [ChannelKind.WebChat] });

        Assert.Same(email, SlaPolicy.Select([any, chat, email], conversation, NoAttributes));
    }

    [Fact]
    public void Select_DisabledOrUnmatchedConditions_AreSkipped()
    {
        var team = TeamId.New();
        var conversation = NewConversation(ChannelKind.Email, teamId: team);
        conversation.AddTag("VIP", Alice, Now);
        var disabled = Policy("Off", 0, SlaConditions.Any, enabled: false);
        var otherTeam = Policy("Other team", 1, SlaConditions.Any with { Teams = [TeamId.New()] });
        var gold = Policy("Gold", 2, SlaConditions.Any with { ContactAttributes = new Dictionary<string, string> { ["plan"] = "gold" } });
        var vip = Policy("VIP", 3, SlaConditions.Any with { Tags = ["vip"], Teams = [team] });

        Assert.Same(vip, SlaPolicy.Select([disabled, otherTeam, gold, vip], conversation, NoAttributes));
        Assert.Same(gold, SlaPolicy.Select([disabled, otherTeam, gold, vip], conversation, new Dictionary<string, string> { ["plan"] = "Gold" }));
    }

    [Fact]
    public void Create_NonPositiveTarget_IsAValidationError()
    {
        var result = SlaPolicy.Create("Bad", 0, SlaConditions.Any, new Dictionary<Priority, SlaTargets> { [Priority.High] = new(TimeSpan.Zero, null, null) });

        Assert.Equal("validation.sla_policy.target", result.Error!.Code);
    }
}

public sealed class ConversationSlaTests
{
    private static readonly SlaTargets Targets = new(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(8));

    [Fact]
    public void PlanSla_NewConversation_SetsFirstResponseAndResolutionButNoNextResponse()
    {
        var conversation = NewConversation();

        Assert.True(conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now));

        Assert.Equal(Now.AddHours(1), conversation.FirstResponseDueAt);
        Assert.Equal(Now.AddMinutes(45), conversation.FirstResponseWarnAt);
        Assert.Null(conversation.NextResponseDueAt);
        Assert.Equal(Now.AddHours(8), conversation.ResolutionDueAt);
        Assert.Contains(conversation.Timeline, t => t.Kind == TimelineKind.SlaChanged);
    }

    [Fact]
    public void PlanSla_ReplyThenCustomerWrites_StartsNextResponseFromTheOldestUnansweredMessage()
    {
        var conversation = NewConversation();
        conversation.ReplyFromAgent(AliceId, "Alice", Text(), false, null, Now.AddMinutes(10));
        conversation.ReceiveFromContact("Customer", Text(), null, Now.AddMinutes(20));
        conversation.ReceiveFromContact("Customer", Text(), null, Now.AddMinutes(30));

        conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now.AddMinutes(30));

        Assert.Null(conversation.FirstResponseDueAt);
        Assert.Equal(Now.AddMinutes(20).AddHours(2), conversation.NextResponseDueAt);

        conversation.ReplyFromAgent(AliceId, "Alice", Text(), false, null, Now.AddMinutes(40));
        conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now.AddMinutes(40));
        Assert.Null(conversation.NextResponseDueAt);
    }

    [Fact]
    public void PlanSla_Resolved_ClearsEveryDueTime()
    {
        var conversation = NewConversation();
        conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now);
        conversation.ChangeStatus(ConversationStatus.Resolved, Alice, Now.AddMinutes(5));

        conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now.AddMinutes(5));

        Assert.Null(conversation.FirstResponseDueAt);
        Assert.Null(conversation.ResolutionDueAt);
        Assert.Null(conversation.ResolutionWarnAt);
    }

    [Fact]
    public void PlanSla_Unchanged_ReturnsFalseAndAddsNoTimeline()
    {
        var conversation = NewConversation();
        conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now);
        var entries = conversation.Timeline.Count;

        Assert.False(conversation.PlanSla(null, Targets, SlaClock.AlwaysOpen, 0.75, Now.AddMinutes(1)));
        Assert.Equal(entries, conversation.Timeline.Count);
    }

    [Fact]
    public void RecordSlaThreshold_Breach_AddsTimelineAndRaisesEvent()
    {
        var conversation = NewConversation();
        conversation.RecordSlaThreshold(SlaMetric.FirstResponse, SlaEventKind.Breach, Now, Now.AddSeconds(1));

        Assert.Contains(conversation.Timeline, t => t.Kind == TimelineKind.SlaBreached && t.To == "first response");
        Assert.Contains(conversation.DomainEvents, e => e is SlaThresholdReached { Kind: SlaEventKind.Breach, Metric: SlaMetric.FirstResponse });
    }
}
