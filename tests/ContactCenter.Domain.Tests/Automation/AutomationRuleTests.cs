using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Tests.Automation;

public sealed class AutomationRuleTests
{
    private static readonly Dictionary<string, string> NoAttributes = new(StringComparer.Ordinal);
    private static readonly AutomationAction[] TagVip = [new(AutomationActionKind.AddTag, "vip")];

    private static AutomationRule Rule(AutomationTrigger trigger, params AutomationCondition[] conditions) =>
        AutomationRule.Create("Rule " + Guid.NewGuid().ToString("N")[..6], trigger, 0, conditions, TagVip, true, TestData.Now).Value;

    private static AutomationFacts Facts(Conversation c, AutomationTrigger trigger = AutomationTrigger.MessageReceived, string? text = null,
        bool open = true, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(trigger, c, attributes ?? NoAttributes, text, open);

    [Fact]
    public void Matches_NoConditions_FiresOnlyForItsTrigger()
    {
        var rule = Rule(AutomationTrigger.ConversationCreated);
        var c = TestData.NewConversation();

        Assert.True(rule.Matches(Facts(c, AutomationTrigger.ConversationCreated)));
        Assert.False(rule.Matches(Facts(c, AutomationTrigger.MessageReceived)));
    }

    [Fact]
    public void Matches_Disabled_NeverFires()
    {
        var rule = Rule(AutomationTrigger.MessageReceived);
        rule.SetEnabled(false, TestData.Now);

        Assert.False(rule.Matches(Facts(TestData.NewConversation())));
    }

    [Theory]
    [InlineData("email", false)]
    [InlineData("webchat", true)]
    [InlineData("Email, WebChat", true)]
    public void Matches_ChannelCondition_AnyListedValueMatches(string channels, bool expected)
    {
        var rule = Rule(AutomationTrigger.MessageReceived, new AutomationCondition(ConditionField.Channel, channels));

        Assert.Equal(expected, rule.Matches(Facts(TestData.NewConversation(ChannelKind.WebChat))));
    }

    [Fact]
    public void Matches_AllConditionsMustHold()
    {
        var team = TeamId.New();
        var c = TestData.NewConversation(teamId: team);
        c.AddTag("billing", Actor.System, TestData.Now);
        c.ChangePriority(Priority.High, Actor.System, TestData.Now);
        var rule = Rule(AutomationTrigger.MessageReceived,
            new AutomationCondition(ConditionField.Team, team.ToString()),
            new AutomationCondition(ConditionField.Tag, "Billing"),
            new AutomationCondition(ConditionField.Priority, "high,urgent"),
            new AutomationCondition(ConditionField.Inbox, c.InboxId.ToString()));

        Assert.True(rule.Matches(Facts(c)));
        c.ChangePriority(Priority.Low, Actor.System, TestData.Now);
        Assert.False(rule.Matches(Facts(c)));
    }

    [Theory]
    [InlineData("I want a REFUND now", true)]
    [InlineData("where is my parcel", false)]
    [InlineData(null, false)]
    public void Matches_MessageContains_IsCaseInsensitive(string? text, bool expected)
    {
        var rule = Rule(AutomationTrigger.MessageReceived, new AutomationCondition(ConditionField.MessageContains, "refund, chargeback"));

        Assert.Equal(expected, rule.Matches(Facts(TestData.NewConversation(), text: text)));
    }

    [Fact]
    public void Matches_ContactAttribute_ComparesTheNamedAttribute()
    {
        var rule = Rule(AutomationTrigger.MessageReceived, new AutomationCondition(ConditionField.ContactAttribute, "gold", Key: "plan"));
        var c = TestData.NewConversation();

        Assert.True(rule.Matches(Facts(c, attributes: new Dictionary<string, string> { ["plan"] = "Gold" })));
        Assert.False(rule.Matches(Facts(c, attributes: new Dictionary<string, string> { ["plan"] = "free" })));
        Assert.False(rule.Matches(Facts(c)));
    }

    [Theory]
    [InlineData("open", true, true)]
    [InlineData("open", false, false)]
    [InlineData("closed", false, true)]
    public void Matches_BusinessHours_ComparesWithTheFacts(string value, bool withinHours, bool expected)
    {
        var rule = Rule(AutomationTrigger.MessageReceived, new AutomationCondition(ConditionField.BusinessHours, value));

        Assert.Equal(expected, rule.Matches(Facts(TestData.NewConversation(), open: withinHours)));
    }

    [Fact]
    public void Matches_Negated_InvertsTheCondition()
    {
        var rule = Rule(AutomationTrigger.MessageReceived, new AutomationCondition(ConditionField.Tag, "spam", Negate: true));
        var c = TestData.NewConversation();

        Assert.True(rule.Matches(Facts(c)));
        c.AddTag("spam", Actor.System, TestData.Now);
        Assert.False(rule.Matches(Facts(c)));
    }

    [Fact]
    public void Matching_ReturnsEnabledMatchesInOrder()
    {
        var second = AutomationRule.Create("b", AutomationTrigger.MessageReceived, 2, [], TagVip, true, TestData.Now).Value;
        var first = AutomationRule.Create("a", AutomationTrigger.MessageReceived, 1, [], TagVip, true, TestData.Now).Value;
        var other = AutomationRule.Create("c", AutomationTrigger.StatusChanged, 0, [], TagVip, true, TestData.Now).Value;

        var matching = AutomationRule.Matching([second, other, first], Facts(TestData.NewConversation()));

        Assert.Equal([first, second], matching);
    }

    [Theory]
    [InlineData(ConditionField.Channel, "fax")]
    [InlineData(ConditionField.Team, "not-a-guid")]
    [InlineData(ConditionField.Priority, "extreme")]
    [InlineData(ConditionField.BusinessHours, "sometimes")]
    [InlineData(ConditionField.Tag, " ")]
    public void Create_InvalidCondition_IsRefused(ConditionField field, string value)
    {
        var created = AutomationRule.Create("x", AutomationTrigger.MessageReceived, 0, [new AutomationCondition(field, value)], TagVip, true, TestData.Now);

        Assert.False(created.IsSuccess);
        Assert.StartsWith("validation.automation", created.Error!.Code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AutomationActionKind.SetPriority, "extreme")]
    [InlineData(AutomationActionKind.AssignTeam, "support")]
    [InlineData(AutomationActionKind.SetStatus, "Snoozed")]
    public void Create_InvalidAction_IsRefused(AutomationActionKind kind, string value)
    {
        Assert.False(AutomationRule.Create("x", AutomationTrigger.MessageReceived, 0, [], [new AutomationAction(kind, value)], true, TestData.Now).IsSuccess);
    }

    [Fact]
    public void Create_NoActions_IsRefused() =>
        Assert.False(AutomationRule.Create("x", AutomationTrigger.MessageReceived, 0, [], [], true, TestData.Now).IsSuccess);

    [Fact]
    public void MacroAppliesTo_TeamMacro_OnlyThatTeam()
    {
        var team = TeamId.New();
        var macro = Macro.Create("Escalate", team, TagVip, TestData.Now).Value;

        Assert.True(macro.AppliesTo(TestData.NewConversation(teamId: team)));
        Assert.False(macro.AppliesTo(TestData.NewConversation(teamId: TeamId.New())));
        Assert.True(Macro.Create("All", null, TagVip, TestData.Now).Value.AppliesTo(TestData.NewConversation()));
    }

    [Fact]
    public void FiringRecord_OutcomeFollowsAppliedAndRefused()
    {
        var c = TestData.NewConversation();
        AutomationFiring Record(string[] applied, string[] refused) =>
            AutomationFiring.Record(AutomationSource.Rule, Guid.NewGuid(), "r", c, "MessageReceived", applied, refused, null, TestData.Now);

        Assert.Equal(AutomationOutcome.Applied, Record(["AddTag(vip)"], []).Outcome);
        Assert.Equal(AutomationOutcome.Partial, Record(["AddTag(vip)"], ["AssignTeam(x): not found"]).Outcome);
        Assert.Equal(AutomationOutcome.Failed, Record([], ["AssignTeam(x): not found"]).Outcome);
    }
}
