using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Supervision;

namespace ContactCenter.Domain.Tests.Supervision;

public sealed class ServiceLevelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(20);

    private static ServiceLevelSample Chat(double ageSeconds, double? answeredAfter = null, ConversationStatus status = ConversationStatus.Open, double? endedAfter = null, bool merged = false, ChannelKind channel = ChannelKind.WebChat)
    {
        var created = Now.AddSeconds(-ageSeconds);
        return new ServiceLevelSample(channel, status, created, answeredAfter is { } a ? created.AddSeconds(a) : null, endedAfter is { } e ? created.AddSeconds(e) : null, merged);
    }

    [Theory]
    [InlineData(5, ServiceLevelOutcome.Met)]
    [InlineData(20, ServiceLevelOutcome.Met)]
    [InlineData(21, ServiceLevelOutcome.Missed)]
    public void Classify_Answered_MetWithinTheTargetInclusive(double answeredAfter, ServiceLevelOutcome expected) =>
        Assert.Equal(expected, ServiceLevel.Classify(Chat(600, answeredAfter), Target, Now));

    [Fact]
    public void Classify_StillWaitingUnderTheTarget_NotCountedYet() =>
        Assert.Equal(ServiceLevelOutcome.NotCounted, ServiceLevel.Classify(Chat(15), Target, Now));

    [Fact]
    public void Classify_StillWaitingPastTheTarget_Missed() =>
        Assert.Equal(ServiceLevelOutcome.Missed, ServiceLevel.Classify(Chat(25), Target, Now));

    [Fact]
    public void Classify_LeftWithinTheTarget_IsAShortAbandonNotCounted() =>
        Assert.Equal(ServiceLevelOutcome.NotCounted, ServiceLevel.Classify(Chat(600, status: ConversationStatus.Resolved, endedAfter: 10), Target, Now));

    [Fact]
    public void Classify_LeftAfterTheTargetUnanswered_Missed() =>
        Assert.Equal(ServiceLevelOutcome.Missed, ServiceLevel.Classify(Chat(600, status: ConversationStatus.Closed, endedAfter: 45), Target, Now));

    [Fact]
    public void Classify_Merged_NotCounted() =>
        Assert.Equal(ServiceLevelOutcome.NotCounted, ServiceLevel.Classify(Chat(600, status: ConversationStatus.Closed, endedAfter: 60, merged: true), Target, Now));

    [Fact]
    public void IsAbandoned_EndedChatWithoutAgentReply_True() =>
        Assert.True(ServiceLevel.IsAbandoned(Chat(600, status: ConversationStatus.Resolved, endedAfter: 10)));

    [Fact]
    public void IsAbandoned_AnsweredOrStillOpenOrMergedOrEmail_False()
    {
        Assert.False(ServiceLevel.IsAbandoned(Chat(600, answeredAfter: 30, status: ConversationStatus.Resolved, endedAfter: 300)));
        Assert.False(ServiceLevel.IsAbandoned(Chat(600)));
        Assert.False(ServiceLevel.IsAbandoned(Chat(600, status: ConversationStatus.Closed, endedAfter: 10, merged: true)));
        Assert.False(ServiceLevel.IsAbandoned(Chat(600, status: ConversationStatus.Closed, endedAfter: 10, channel: ChannelKind.Email)));
    }

    [Fact]
    public void Compute_MixedQueue_CountsOnlyItsWorkKindAndDecidedOutcomes()
    {
        var samples = new[]
        {
            Chat(600, answeredAfter: 5),   // met
            Chat(600, answeredAfter: 18),  // met
            Chat(600, answeredAfter: 19),  // met
            Chat(600, answeredAfter: 20),  // met
            Chat(600, answeredAfter: 40),  // missed
            Chat(30),                      // waiting past the target: missed
            Chat(10),                      // waiting, not yet due: not counted
            Chat(600, status: ConversationStatus.Resolved, endedAfter: 5), // short abandon: not counted
            Chat(600, answeredAfter: 7200, channel: ChannelKind.Email),    // async: another figure
        };

        var live = ServiceLevel.Compute(samples, WorkKind.Live, Target, 80, Now);

        Assert.Equal(4, live.Met);
        Assert.Equal(6, live.Counted);
        Assert.Equal(20, live.TargetSeconds);
        Assert.Equal(66.67, live.Percent!.Value, 2);
        Assert.True(live.BelowGoal);

        var async = ServiceLevel.Compute(samples, WorkKind.Async, TimeSpan.FromHours(1), 80, Now);
        Assert.Equal((0, 1), (async.Met, async.Counted));
    }

    [Fact]
    public void Compute_NothingCounted_HasNoPercentAndIsNotBelowGoal()
    {
        var figure = ServiceLevel.Compute([Chat(5)], WorkKind.Live, Target, 80, Now);

        Assert.Null(figure.Percent);
        Assert.False(figure.BelowGoal);
    }

    [Fact]
    public void Compute_AtTheGoal_IsNotBelowIt()
    {
        var samples = Enumerable.Range(0, 4).Select(_ => Chat(600, answeredAfter: 10)).Append(Chat(600, answeredAfter: 60));

        var figure = ServiceLevel.Compute(samples, WorkKind.Live, Target, 80, Now);

        Assert.Equal(80, figure.Percent);
        Assert.False(figure.BelowGoal);
    }
}
