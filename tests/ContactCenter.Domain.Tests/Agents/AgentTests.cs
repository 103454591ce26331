using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Agents;

public class AgentTests
{
    private static Agent NewAgent(Capacity? capacity = null) =>
        Agent.Create("user-1", "Alice", "alice@example.com", StaffRole.Agent, capacity ?? Capacity.Default, Now).Value;

    [Fact]
    public void Create_Valid_TrimsAndStartsOffline()
    {
        var result = Agent.Create("user-1", "  Alice Smith ", " Alice@Example.COM ", StaffRole.Supervisor, new Capacity(4, 20), Now);

        Assert.True(result.IsSuccess);
        var agent = result.Value;
        Assert.Equal("user-1", agent.UserId);
        Assert.Equal("Alice Smith", agent.DisplayName);
        Assert.Equal("alice@example.com", agent.Email);
        Assert.Equal(StaffRole.Supervisor, agent.Role);
        Assert.Equal(Presence.Offline, agent.Presence);
        Assert.Equal(Now, agent.PresenceChangedAt);
        Assert.Equal(new Capacity(4, 20), agent.Capacity);
        Assert.True(agent.IsActive);
        Assert.Null(agent.LastAssignedAt);
        Assert.Empty(agent.DomainEvents);
    }

    [Theory]
    [InlineData("", "Alice")]
    [InlineData("  ", "Alice")]
    [InlineData("user-1", "")]
    [InlineData("user-1", "   ")]
    public void Create_MissingUserOrName_ReturnsNameValidationError(string userId, string displayName)
    {
        var result = Agent.Create(userId, displayName, "a@example.com", StaffRole.Agent, Capacity.Default, Now);

        Assert.Equal("validation.agent.name", result.Error?.Code);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(51, 10)]
    [InlineData(3, -1)]
    [InlineData(3, 501)]
    public void Create_CapacityOutOfBounds_ReturnsCapacityValidationError(int live, int async)
    {
        var result = Agent.Create("user-1", "Alice", "a@example.com", StaffRole.Agent, new Capacity(live, async), Now);

        Assert.False(result.IsSuccess);
        Assert.Equal("validation.agent.capacity", result.Error!.Code);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 500)]
    [InlineData(0, 500)]
    [InlineData(50, 0)]
    public void SetCapacity_Bounds_AreAccepted(int live, int async)
    {
        var agent = NewAgent();

        var result = agent.SetCapacity(new Capacity(live, async));

        Assert.True(result.IsSuccess);
        Assert.Equal((live, async), (agent.LiveCapacity, agent.AsyncCapacity));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(51, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 501)]
    public void SetCapacity_OutOfBounds_KeepsPreviousCapacity(int live, int async)
    {
        var agent = NewAgent(new Capacity(2, 7));

        var result = agent.SetCapacity(new Capacity(live, async));

        Assert.Equal("validation.agent.capacity", result.Error?.Code);
        Assert.Equal(new Capacity(2, 7), agent.Capacity);
    }

    [Theory]
    [InlineData(WorkKind.Live, 3)]
    [InlineData(WorkKind.Async, 11)]
    public void CapacityFor_WorkKind_ReturnsMatchingLimit(WorkKind kind, int expected)
    {
        Assert.Equal(expected, new Capacity(3, 11).For(kind));
    }

    [Fact]
    public void SetSkill_NameWithCaseAndSpaces_IsNormalised()
    {
        var agent = NewAgent();

        var result = agent.SetSkill("  Billing ", 3);

        Assert.True(result.IsSuccess);
        Assert.Equal([new AgentSkill("billing", 3)], agent.Skills);
        Assert.Equal(3, agent.SkillLevel("billing"));
    }

    [Fact]
    public void SetSkill_ExistingSkillDifferentCase_ReplacesLevel()
    {
        var agent = NewAgent();
        agent.SetSkill("spanish", 2);

        agent.SetSkill("SPANISH", 5);

        Assert.Equal([new AgentSkill("spanish", 5)], agent.Skills);
    }

    [Theory]
    [InlineData(AgentSkill.MinLevel)]
    [InlineData(AgentSkill.MaxLevel)]
    public void SetSkill_LevelAtBounds_IsAccepted(int level)
    {
        var agent = NewAgent();

        Assert.True(agent.SetSkill("tech", level).IsSuccess);
        Assert.Equal(level, agent.SkillLevel("tech"));
    }

    [Theory]
    [InlineData(AgentSkill.MinLevel - 1)]
    [InlineData(AgentSkill.MaxLevel + 1)]
    [InlineData(-3)]
    public void SetSkill_LevelOutOfBounds_ReturnsSkillLevelValidationError(int level)
    {
        var agent = NewAgent();

        var result = agent.SetSkill("tech", level);

        Assert.Equal("validation.agent.skill_level", result.Error?.Code);
        Assert.Empty(agent.Skills);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void SetSkill_BlankName_ReturnsSkillValidationError(string? name)
    {
        var agent = NewAgent();

        Assert.Equal("validation.agent.skill", agent.SetSkill(name!, 3).Error?.Code);
        Assert.Empty(agent.Skills);
    }

    [Fact]
    public void SetSkill_NameLengthBounds_40AcceptedAnd41Refused()
    {
        var agent = NewAgent();

        Assert.True(agent.SetSkill(new string('s', 40), 1).IsSuccess);
        Assert.Equal("validation.agent.skill", agent.SetSkill(new string('s', 41), 1).Error?.Code);
        Assert.Single(agent.Skills);
    }

    [Fact]
    public void SkillLevel_UnknownSkill_IsZero()
    {
        var agent = NewAgent();
        agent.SetSkill("tech", 4);

        Assert.Equal(0, agent.SkillLevel("billing"));
    }

    [Theory]
    [InlineData(Presence.Online)]
    [InlineData(Presence.Away)]
    public void SetPresence_Change_RaisesPresenceChanged(Presence presence)
    {
        var agent = NewAgent();
        var at = Now.AddMinutes(5);

        var result = agent.SetPresence(presence, null, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(presence, agent.Presence);
        Assert.Equal(at, agent.PresenceChangedAt);
        var changed = Assert.Single(agent.DomainEvents.OfType<AgentPresenceChanged>());
        Assert.Equal(new AgentPresenceChanged(agent.Id, Presence.Offline, presence, at), changed);
    }

    [Fact]
    public void SetPresence_SamePresence_RaisesNothingAndKeepsTimestamp()
    {
        var agent = NewAgent();
        agent.SetPresence(Presence.Online, null, Now.AddMinutes(1));
        agent.ClearDomainEvents();

        var result = agent.SetPresence(Presence.Online, null, Now.AddMinutes(2));

        Assert.True(result.IsSuccess);
        Assert.Empty(agent.DomainEvents);
        Assert.Equal(Now.AddMinutes(1), agent.PresenceChangedAt);
    }

    [Fact]
    public void SetPresence_AwayWithReason_TrimsReasonAndClearsItWhenBack()
    {
        var agent = NewAgent();

        agent.SetPresence(Presence.Away, "  Lunch ", Now);
        Assert.Equal("Lunch", agent.AwayReason);

        agent.SetPresence(Presence.Online, "ignored", Now.AddMinutes(30));
        Assert.Null(agent.AwayReason);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void SetPresence_UndefinedValue_ReturnsPresenceValidationError(int value)
    {
        var agent = NewAgent();

        var result = agent.SetPresence((Presence)value, null, Now);

        Assert.Equal("validation.agent.presence", result.Error?.Code);
        Assert.Equal(Presence.Offline, agent.Presence);
        Assert.Empty(agent.DomainEvents);
    }

    [Fact]
    public void Deactivate_OnlineAgent_GoesOfflineAndInactive()
    {
        var agent = NewAgent();
        agent.SetPresence(Presence.Online, null, Now);
        agent.ClearDomainEvents();

        agent.Deactivate(Now.AddHours(1));

        Assert.False(agent.IsActive);
        Assert.Equal(Presence.Offline, agent.Presence);
        var changed = Assert.Single(agent.DomainEvents.OfType<AgentPresenceChanged>());
        Assert.Equal((Presence.Online, Presence.Offline), (changed.From, changed.To));
    }

    [Theory]
    [InlineData(Presence.Online)]
    [InlineData(Presence.Away)]
    public void SetPresence_DeactivatedAgentGoingOnlineOrAway_ReturnsInactiveConflict(Presence presence)
    {
        var agent = NewAgent();
        agent.Deactivate(Now);
        agent.ClearDomainEvents();

        var result = agent.SetPresence(presence, null, Now.AddMinutes(1));

        Assert.Equal("conflict.agent.inactive", result.Error?.Code);
        Assert.Equal(Presence.Offline, agent.Presence);
        Assert.Empty(agent.DomainEvents);
    }

    [Fact]
    public void SetPresence_DeactivatedAgentOffline_IsAccepted()
    {
        var agent = NewAgent();
        agent.Deactivate(Now);

        Assert.True(agent.SetPresence(Presence.Offline, null, Now.AddMinutes(1)).IsSuccess);
    }

    [Fact]
    public void JoinTeam_Twice_IsMemberOnce()
    {
        var agent = NewAgent();
        var team = TeamId.New();

        agent.JoinTeam(team);
        agent.JoinTeam(team);

        Assert.Equal([team], agent.TeamIds);
        Assert.True(agent.IsInTeam(team));
        Assert.False(agent.IsInTeam(TeamId.New()));
    }

    [Fact]
    public void LeaveTeam_Member_RemovesOnlyThatTeam()
    {
        var agent = NewAgent();
        var stay = TeamId.New();
        var leave = TeamId.New();
        agent.JoinTeam(stay);
        agent.JoinTeam(leave);

        agent.LeaveTeam(leave);

        Assert.Equal([stay], agent.TeamIds);
        Assert.False(agent.IsInTeam(leave));
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("en", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData("zh-cn", "en")]
    public void SetLocale_Value_OnlyZhCnOrEnglish(string locale, string expected)
    {
        var agent = NewAgent();

        agent.SetLocale(locale);

        Assert.Equal(expected, agent.Locale);
    }

    [Fact]
    public void RecordAssignment_Time_SetsLastAssignedAt()
    {
        var agent = NewAgent();

        agent.RecordAssignment(Now.AddMinutes(3));

        Assert.Equal(Now.AddMinutes(3), agent.LastAssignedAt);
    }

    [Fact]
    public void EffectiveCapacity_WithoutOwnCapacity_TakesTheMostGenerousTeamDefault()
    {
        var support = ContactCenter.Domain.Teams.Team.Create("Support").Value;
        var vip = ContactCenter.Domain.Teams.Team.Create("VIP").Value;
        support.SetDefaultCapacity(new Capacity(2, 8));
        vip.SetDefaultCapacity(new Capacity(5, 4));
        var agent = Agent.Create("u1", "Ann", "ann@t.local", StaffRole.Agent, new Capacity(3, 10), DateTimeOffset.UnixEpoch).Value;
        agent.JoinTeam(support.Id);
        agent.JoinTeam(vip.Id);
        var teams = new Dictionary<ContactCenter.Domain.Common.TeamId, ContactCenter.Domain.Teams.Team> { [support.Id] = support, [vip.Id] = vip };

        Assert.False(agent.HasOwnCapacity);
        Assert.Equal(new Capacity(5, 8), agent.EffectiveCapacity(teams));

        agent.SetCapacity(new Capacity(1, 1));
        Assert.Equal(new Capacity(1, 1), agent.EffectiveCapacity(teams));
    }

    [Fact]
    public void EffectiveCapacity_TeamsWithoutDefaults_KeepsTheAgentsCapacity()
    {
        var agent = Agent.Create("u1", "Ann", "ann@t.local", StaffRole.Agent, new Capacity(3, 10), DateTimeOffset.UnixEpoch).Value;
        Assert.Equal(new Capacity(3, 10), agent.EffectiveCapacity(new Dictionary<ContactCenter.Domain.Common.TeamId, ContactCenter.Domain.Teams.Team>()));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(51, 1)]
    [InlineData(1, 501)]
    public void SetDefaultCapacity_OutOfRange_Refused(int live, int async)
    {
        var team = ContactCenter.Domain.Teams.Team.Create("Support").Value;
        Assert.False(team.SetDefaultCapacity(new Capacity(live, async)).IsSuccess);
        Assert.Null(team.DefaultLiveCapacity);
    }

    [Fact]
    public void SetSignature_TrimmedText_StoredAndBlankClears()
    {
        var agent = NewAgent();

        Assert.True(agent.SetSignature("  Alice\r\nSupport team \n").IsSuccess);
        Assert.Equal("Alice\nSupport team", agent.Signature);
        Assert.True(agent.SetSignature("   ").IsSuccess);
        Assert.Null(agent.Signature);
    }

    [Fact]
    public void SetSignature_TooLongOrControlCharacters_ValidationErrorAndUnchanged()
    {
        var agent = NewAgent();
        agent.SetSignature("Alice");

        var tooLong = agent.SetSignature(new string('x', Agent.MaxSignatureLength + 1));
        var control = agent.SetSignature("Alice\u0007");

        Assert.Equal("validation.agent.signature", tooLong.Error!.Code);
        Assert.Equal("validation.agent.signature", control.Error!.Code);
        Assert.Equal("Alice", agent.Signature);
        Assert.True(agent.SetSignature(new string('x', Agent.MaxSignatureLength)).IsSuccess);
    }
}
