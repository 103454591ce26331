using ContactCenter.Domain.Conversations;
using static ContactCenter.Domain.Conversations.ConversationStatus;

namespace ContactCenter.Domain.Tests.Conversations;

public class StatusRulesTests
{
    /// <summary>
    /// The full transition table, written out by hand (rows = from, columns = to):
    /// Closed is final, nothing returns to New, Resolved only goes to Open or Closed, no self-transitions.
    /// </summary>
    private static readonly Dictionary<ConversationStatus, ConversationStatus[]> Allowed = new()
    {
        [New] = [Open, Pending, Snoozed, Resolved, Closed],
        [Open] = [Pending, Snoozed, Resolved, Closed],
        [Pending] = [Open, Snoozed, Resolved, Closed],
        [Snoozed] = [Open, Pending, Resolved, Closed],
        [Resolved] = [Open, Closed],
        [Closed] = [],
    };

    public static TheoryData<ConversationStatus, ConversationStatus, bool> AllPairs()
    {
        var data = new TheoryData<ConversationStatus, ConversationStatus, bool>();
        foreach (var from in Enum.GetValues<ConversationStatus>())
        {
            foreach (var to in Enum.GetValues<ConversationStatus>())
            {
                data.Add(from, to, Allowed[from].Contains(to));
            }
        }

        return data;
    }

    [Fact]
    public void AllPairs_EveryStatusCombination_IsListed()
    {
        var statuses = Enum.GetValues<ConversationStatus>();

        Assert.Equal(statuses.Length * statuses.Length, AllPairs().Count);
        Assert.Equal(statuses.Order(), Allowed.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanTransition_EveryPair_MatchesTransitionTable(ConversationStatus from, ConversationStatus to, bool expected)
    {
        Assert.Equal(expected, StatusRules.CanTransition(from, to));
    }

    [Theory]
    [InlineData(New)]
    [InlineData(Open)]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    [InlineData(Closed)]
    public void CanTransition_FromClosed_AlwaysFalse(ConversationStatus to)
    {
        Assert.False(StatusRules.CanTransition(Closed, to));
    }

    [Theory]
    [InlineData(New)]
    [InlineData(Open)]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    [InlineData(Closed)]
    public void CanTransition_ToNew_AlwaysFalse(ConversationStatus from)
    {
        Assert.False(StatusRules.CanTransition(from, New));
    }

    [Theory]
    [InlineData(New)]
    [InlineData(Open)]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    [InlineData(Closed)]
    public void CanTransition_SameStatus_False(ConversationStatus status)
    {
        Assert.False(StatusRules.CanTransition(status, status));
    }

    [Fact]
    public void CanTransition_FromResolved_OnlyOpenAndClosed()
    {
        var targets = Enum.GetValues<ConversationStatus>().Where(to => StatusRules.CanTransition(Resolved, to));

        Assert.Equal([Open, Closed], targets.Order());
    }

    [Theory]
    [InlineData(New, true)]
    [InlineData(Open, true)]
    [InlineData(Pending, true)]
    [InlineData(Snoozed, false)]
    [InlineData(Resolved, false)]
    [InlineData(Closed, false)]
    public void IsActive_EachStatus_TrueOnlyForNewOpenPending(ConversationStatus status, bool expected)
    {
        Assert.Equal(expected, StatusRules.IsActive(status));
    }

    [Theory]
    [InlineData(New, true)]
    [InlineData(Open, true)]
    [InlineData(Pending, false)]
    [InlineData(Snoozed, false)]
    [InlineData(Resolved, false)]
    [InlineData(Closed, false)]
    public void CountsAgainstCapacity_EachStatus_TrueOnlyForNewAndOpen(ConversationStatus status, bool expected)
    {
        Assert.Equal(expected, StatusRules.CountsAgainstCapacity(status));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("slash/key")]
    [InlineData("café")]
    [InlineData("emoji🙂")]
    public void CustomStatusCreate_InvalidKey_ReturnsKeyValidationError(string key)
    {
        var result = CustomStatus.Create(key, "Label", Pending);

        Assert.False(result.IsSuccess);
        Assert.Equal("validation.custom_status.key", result.Error!.Code);
    }

    [Fact]
    public void CustomStatusCreate_KeyOf41Characters_ReturnsKeyValidationError()
    {
        var result = CustomStatus.Create(new string('k', 41), "Label", Pending);

        Assert.Equal("validation.custom_status.key", result.Error?.Code);
    }

    [Theory]
    [InlineData("waiting-on_warehouse")]
    [InlineData("A1")]
    [InlineData("x")]
    public void CustomStatusCreate_ValidKey_Succeeds(string key)
    {
        var result = CustomStatus.Create(key, "Waiting on warehouse", Pending);

        Assert.True(result.IsSuccess);
        Assert.Equal(key, result.Value.Key);
    }

    [Fact]
    public void CustomStatusCreate_KeyOf40Characters_Succeeds()
    {
        var key = new string('k', 40);

        var result = CustomStatus.Create(key, "Label", Open);

        Assert.True(result.IsSuccess);
        Assert.Equal(key, result.Value.Key);
    }

    [Theory]
    [InlineData(New)]
    [InlineData(Closed)]
    public void CustomStatusCreate_CategoryNewOrClosed_ReturnsCategoryValidationError(ConversationStatus category)
    {
        var result = CustomStatus.Create("custom", "Custom", category);

        Assert.False(result.IsSuccess);
        Assert.Equal("validation.custom_status.category", result.Error!.Code);
    }

    [Theory]
    [InlineData(Open)]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    public void CustomStatusCreate_RefinableCategory_KeepsCategory(ConversationStatus category)
    {
        var result = CustomStatus.Create("custom", "Custom", category);

        Assert.True(result.IsSuccess);
        Assert.Equal(category, result.Value.Category);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CustomStatusCreate_BlankLabel_UsesKeyAsLabel(string label)
    {
        var status = CustomStatus.Create("on-hold", label, Pending).Value;

        Assert.Equal("on-hold", status.Label);
    }

    [Fact]
    public void CustomStatusCreate_LabelWithSpaces_IsTrimmed()
    {
        var status = CustomStatus.Create("on-hold", "  On hold  ", Pending).Value;

        Assert.Equal("On hold", status.Label);
    }

    [Fact]
    public void CustomStatusCreate_NoColor_UsesDefaultColor()
    {
        Assert.Equal("#607d8b", CustomStatus.Create("a", "A", Open).Value.Color);
        Assert.Equal("#ff0000", CustomStatus.Create("b", "B", Open, "#ff0000").Value.Color);
    }

    [Fact]
    public void CustomStatusCreate_TwoStatuses_GetDistinctIds()
    {
        var a = CustomStatus.Create("a", "A", Open).Value;
        var b = CustomStatus.Create("a", "A", Open).Value;

        Assert.NotEqual(Guid.Empty, a.Id);
        Assert.NotEqual(a.Id, b.Id);
    }
}
