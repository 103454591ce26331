using ContactCenter.Domain.Assist;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Tests.Assist;

public sealed class EscalationRuleTests
{
    private static EmotionReading Calm(double s = 0) => new(EmotionLabel.Calm, s);
    private static EmotionReading Frustrated(double s) => new(EmotionLabel.Frustrated, s);
    private static EmotionReading Angry(double s) => new(EmotionLabel.Angry, s);

    [Fact]
    public void Decide_CalmMessage_DoesNothing() =>
        Assert.Equal(0, EscalationRule.Decide(Calm(), [Angry(0.9)], 0).Level);

    [Fact]
    public void Decide_FirstFrustratedMessage_DoesNothingByDefault_AndLevel1WhenConfigured()
    {
        Assert.Equal(0, EscalationRule.Decide(Frustrated(0.5), [], 0).Level);
        Assert.Equal(1, EscalationRule.Decide(Frustrated(0.5), [], 0, escalateFrustrated: true).Level);
    }

    [Fact]
    public void Decide_AngryMessage_Level1High()
    {
        var decision = EscalationRule.Decide(Angry(0.95), [], 0);
        Assert.Equal(1, decision.Level);
        Assert.Equal(Priority.High, decision.Priority);
    }

    [Fact]
    public void Decide_TwoIncreasinglyUpsetMessages_Level1Worsening()
    {
        var decision = EscalationRule.Decide(Frustrated(0.6), [Calm(), Frustrated(0.4)], 0);
        Assert.Equal(1, decision.Level);
        Assert.Contains("more upset", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UpsetButCalmingDown_DoesNothing() =>
        Assert.Equal(0, EscalationRule.Decide(Frustrated(0.4), [Frustrated(0.6)], 0).Level);

    [Fact]
    public void Decide_AtLevel1_AngryAndWorsening_Level2Urgent_ThenNothingMore()
    {
        var decision = EscalationRule.Decide(Angry(0.8), [Angry(0.7)], 1);
        Assert.Equal(2, decision.Level);
        Assert.Equal(Priority.Urgent, decision.Priority);
        Assert.Equal(0, EscalationRule.Decide(Angry(0.99), [Angry(0.8)], 2).Level);
    }

    [Fact]
    public void Decide_AtLevel1_AngryAgainNotWorse_StaysAtLevel1() =>
        Assert.Equal(0, EscalationRule.Decide(Angry(0.7), [Angry(0.8)], 1).Level);

    [Fact]
    public void Escalate_SameLevelTwice_AppliesOnce()
    {
        var now = DateTimeOffset.UtcNow;
        var conversation = Conversation.Open(1, InboxId.New(), ChannelKind.WebChat, ContactId.New(), "s", null, Actor.System, now);
        Assert.True(conversation.Escalate(1, Priority.High, "senior", 1, "angry", now).Value);
        Assert.False(conversation.Escalate(1, Priority.High, "senior", 1, "angry", now).Value);
        Assert.Single(conversation.Timeline, t => t.Kind == TimelineKind.Escalated);
        Assert.Equal(Priority.High, conversation.Priority);
        Assert.Equal(1, conversation.RequiredSkills["senior"]);
        Assert.Contains(conversation.DomainEvents, e => e is ConversationEscalated { Level: 1 });
    }

    [Fact]
    public void Escalate_NeverLowersPriority()
    {
        var now = DateTimeOffset.UtcNow;
        var conversation = Conversation.Open(1, InboxId.New(), ChannelKind.WebChat, ContactId.New(), "s", null, Actor.System, now);
        conversation.ChangePriority(Priority.Urgent, Actor.System, now);
        conversation.Escalate(1, Priority.High, "senior", 1, "angry", now);
        Assert.Equal(Priority.Urgent, conversation.Priority);
    }
}
