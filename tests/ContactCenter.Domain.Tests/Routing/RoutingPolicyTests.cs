using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Routing;
using ContactCenter.Domain.Teams;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Routing;

public class RoutingPolicyTests
{
    private static readonly TeamId Support = new(Guid.Parse("00000000-0000-0000-0000-0000000000f1"));
    private static readonly TeamId Sales = new(Guid.Parse("00000000-0000-0000-0000-0000000000f2"));

    private static AgentId Id(int n) => new(new Guid(n, 0, 0, new byte[8]));

    private static AgentCandidate Candidate(
        int id,
        Presence presence = Presence.Online,
        int liveCapacity = 3,
        int asyncCapacity = 10,
        int activeLive = 0,
        int activeAsync = 0,
        DateTimeOffset? lastAssignedAt = null,
        TeamId[]? teams = null,
        Dictionary<string, int>? skills = null) =>
        new(Id(id), presence, teams ?? [Support], skills ?? [], new Capacity(liveCapacity, asyncCapacity), activeLive, activeAsync, lastAssignedAt);

    private static WorkItem Item(
        int n = 1,
        TeamId? team = null,
        WorkKind kind = WorkKind.Live,
        Priority priority = Priority.Normal,
        DateTimeOffset? waitingSince = null,
        Dictionary<string, int>? requiredSkills = null) =>
        new(new ConversationId(new Guid(n, 0, 0, new byte[8])), team, kind, priority, waitingSince ?? Now, requiredSkills);

    // ---------------------------------------------------------------- IsEligible

    [Fact]
    public void IsEligible_OnlineAgentWithRoom_True()
    {
        Assert.True(RoutingPolicy.IsEligible(Candidate(1), Item(team: Support)));
    }

    [Theory]
    [InlineData(Presence.Offline)]
    [InlineData(Presence.Away)]
    public void IsEligible_NotOnline_False(Presence presence)
    {
        Assert.False(RoutingPolicy.IsEligible(Candidate(1, presence), Item(team: Support)));
    }

    [Fact]
    public void IsEligible_ItemOfOtherTeam_False()
    {
        Assert.False(RoutingPolicy.IsEligible(Candidate(1, teams: [Support]), Item(team: Sales)));
    }

    [Fact]
    public void IsEligible_ItemWithoutTeam_AnyTeamOrNoneQualifies()
    {
        Assert.True(RoutingPolicy.IsEligible(Candidate(1, teams: [Sales]), Item(team: null)));
        Assert.True(RoutingPolicy.IsEligible(Candidate(2, teams: []), Item(team: null)));
    }

    [Fact]
    public void IsEligible_MemberOfSeveralTeams_EligibleForEach()
    {
        var agent = Candidate(1, teams: [Support, Sales]);

        Assert.True(RoutingPolicy.IsEligible(agent, Item(team: Support)));
        Assert.True(RoutingPolicy.IsEligible(agent, Item(team: Sales)));
    }

    [Theory]
    [InlineData(WorkKind.Live, 3, 0, false)]
    [InlineData(WorkKind.Live, 2, 10, true)]
    [InlineData(WorkKind.Async, 0, 10, false)]
    [InlineData(WorkKind.Async, 3, 9, true)]
    public void IsEligible_CapacityPerWorkKind_OnlyWithRoomForThatKind(WorkKind kind, int activeLive, int activeAsync, bool expected)
    {
        var agent = Candidate(1, liveCapacity: 3, asyncCapacity: 10, activeLive: activeLive, activeAsync: activeAsync);

        Assert.Equal(expected, RoutingPolicy.IsEligible(agent, Item(kind: kind)));
    }

    [Fact]
    public void IsEligible_ZeroCapacity_False()
    {
        Assert.False(RoutingPolicy.IsEligible(Candidate(1, liveCapacity: 0), Item(kind: WorkKind.Live)));
    }

    [Fact]
    public void IsEligible_LoadAboveCapacity_False()
    {
        Assert.False(RoutingPolicy.IsEligible(Candidate(1, liveCapacity: 2, activeLive: 5), Item(kind: WorkKind.Live)));
    }

    [Theory]
    [InlineData(2, 3, false)]
    [InlineData(3, 3, true)]
    [InlineData(5, 3, true)]
    public void IsEligible_RequiredSkillLevel_NeedsAtLeastMinimum(int agentLevel, int requiredLevel, bool expected)
    {
        var agent = Candidate(1, skills: new() { ["billing"] = agentLevel });

        Assert.Equal(expected, RoutingPolicy.IsEligible(agent, Item(requiredSkills: new() { ["billing"] = requiredLevel })));
    }

    [Fact]
    public void IsEligible_MissingRequiredSkill_False()
    {
        var agent = Candidate(1, skills: new() { ["tech"] = 5 });

        Assert.False(RoutingPolicy.IsEligible(agent, Item(requiredSkills: new() { ["billing"] = 1 })));
    }

    [Fact]
    public void IsEligible_SeveralRequiredSkills_NeedsAll()
    {
        var required = new Dictionary<string, int> { ["billing"] = 2, ["spanish"] = 3 };

        Assert.True(RoutingPolicy.IsEligible(Candidate(1, skills: new() { ["billing"] = 2, ["spanish"] = 4, ["tech"] = 1 }), Item(requiredSkills: required)));
        Assert.False(RoutingPolicy.IsEligible(Candidate(2, skills: new() { ["billing"] = 5 }), Item(requiredSkills: required)));
        Assert.False(RoutingPolicy.IsEligible(Candidate(3, skills: new() { ["billing"] = 5, ["spanish"] = 2 }), Item(requiredSkills: required)));
    }

    [Fact]
    public void IsEligible_EmptyRequiredSkills_NoSkillNeeded()
    {
        Assert.True(RoutingPolicy.IsEligible(Candidate(1), Item(requiredSkills: [])));
    }

    // ---------------------------------------------------------------- SelectAgent

    [Fact]
    public void SelectAgent_LeastBusy_PicksLowestLoadRatioNotLowestCount()
    {
        // 2 of 8 (25%) beats 1 of 2 (50%).
        var big = Candidate(1, liveCapacity: 8, activeLive: 2);
        var small = Candidate(2, liveCapacity: 2, activeLive: 1);

        var chosen = RoutingPolicy.SelectAgent(Item(), [small, big], RoutingStrategy.LeastBusy);

        Assert.Equal(big.Id, chosen?.Id);
    }

    [Fact]
    public void SelectAgent_LeastBusy_UsesLoadOfItemsWorkKind()
    {
        var busyLive = Candidate(1, liveCapacity: 4, asyncCapacity: 10, activeLive: 3, activeAsync: 0);
        var busyAsync = Candidate(2, liveCapacity: 4, asyncCapacity: 10, activeLive: 0, activeAsync: 9);

        Assert.Equal(busyAsync.Id, RoutingPolicy.SelectAgent(Item(kind: WorkKind.Live), [busyLive, busyAsync], RoutingStrategy.LeastBusy)?.Id);
        Assert.Equal(busyLive.Id, RoutingPolicy.SelectAgent(Item(kind: WorkKind.Async), [busyLive, busyAsync], RoutingStrategy.LeastBusy)?.Id);
    }

    [Fact]
    public void SelectAgent_LeastBusyTie_PicksOldestLastAssignment()
    {
        var recent = Candidate(1, activeLive: 1, lastAssignedAt: Now.AddMinutes(-1));
        var older = Candidate(2, activeLive: 1, lastAssignedAt: Now.AddMinutes(-30));
        var newest = Candidate(3, activeLive: 1, lastAssignedAt: Now);

        var chosen = RoutingPolicy.SelectAgent(Item(), [recent, older, newest], RoutingStrategy.LeastBusy);

        Assert.Equal(older.Id, chosen?.Id);
    }

    [Fact]
    public void SelectAgent_LeastBusyTie_NeverAssignedGoesFirst()
    {
        var assigned = Candidate(1, lastAssignedAt: Now.AddYears(-5));
        var never = Candidate(2, lastAssignedAt: null);

        Assert.Equal(never.Id, RoutingPolicy.SelectAgent(Item(), [assigned, never], RoutingStrategy.LeastBusy)?.Id);
    }

    [Fact]
    public void SelectAgent_CompleteTie_LowestIdRegardlessOfOrder()
    {
        var a = Candidate(5);
        var b = Candidate(3);
        var c = Candidate(9);

        Assert.Equal(b.Id, RoutingPolicy.SelectAgent(Item(), [a, b, c], RoutingStrategy.LeastBusy)?.Id);
        Assert.Equal(b.Id, RoutingPolicy.SelectAgent(Item(), [c, a, b], RoutingStrategy.RoundRobin)?.Id);
    }

    [Fact]
    public void SelectAgent_RoundRobin_PicksOldestLastAssignmentEvenIfBusier()
    {
        var idleButRecent = Candidate(1, activeLive: 0, lastAssignedAt: Now.AddMinutes(-1));
        var busyButWaiting = Candidate(2, activeLive: 2, lastAssignedAt: Now.AddMinutes(-20));

        var chosen = RoutingPolicy.SelectAgent(Item(), [idleButRecent, busyButWaiting], RoutingStrategy.RoundRobin);

        Assert.Equal(busyButWaiting.Id, chosen?.Id);
    }

    [Fact]
    public void SelectAgent_RoundRobin_NeverAssignedGoesFirst()
    {
        var assigned = Candidate(1, lastAssignedAt: Now.AddDays(-1));
        var never = Candidate(2, activeLive: 2);

        Assert.Equal(never.Id, RoutingPolicy.SelectAgent(Item(), [assigned, never], RoutingStrategy.RoundRobin)?.Id);
    }

    [Fact]
    public void SelectAgent_Manual_AssignsNobody()
    {
        Assert.Null(RoutingPolicy.SelectAgent(Item(), [Candidate(1), Candidate(2)], RoutingStrategy.Manual));
    }

    [Theory]
    [InlineData(RoutingStrategy.LeastBusy)]
    [InlineData(RoutingStrategy.RoundRobin)]
    public void SelectAgent_NoEligibleAgent_ReturnsNull(RoutingStrategy strategy)
    {
        AgentCandidate[] agents =
        [
            Candidate(1, Presence.Offline),
            Candidate(2, Presence.Away),
            Candidate(3, liveCapacity: 1, activeLive: 1),
            Candidate(4, teams: [Sales]),
        ];

        Assert.Null(RoutingPolicy.SelectAgent(Item(team: Support), agents, strategy));
        Assert.Null(RoutingPolicy.SelectAgent(Item(team: Support), [], strategy));
    }

    [Fact]
    public void SelectAgent_BetterAgentIneligible_SkipsIt()
    {
        var offlineIdle = Candidate(1, Presence.Offline);
        var onlineBusy = Candidate(2, activeLive: 2);

        Assert.Equal(onlineBusy.Id, RoutingPolicy.SelectAgent(Item(), [offlineIdle, onlineBusy], RoutingStrategy.LeastBusy)?.Id);
    }

    // ---------------------------------------------------------------- Queue order

    [Fact]
    public void QueueOrder_Items_PriorityFirstThenLongestWait()
    {
        var lowOld = Item(1, priority: Priority.Low, waitingSince: Now.AddHours(-5));
        var normalNew = Item(2, priority: Priority.Normal, waitingSince: Now.AddMinutes(-1));
        var normalOld = Item(3, priority: Priority.Normal, waitingSince: Now.AddMinutes(-30));
        var urgentNew = Item(4, priority: Priority.Urgent, waitingSince: Now);
        var high = Item(5, priority: Priority.High, waitingSince: Now.AddMinutes(-2));

        var ordered = RoutingPolicy.QueueOrder([lowOld, normalNew, urgentNew, normalOld, high]);

        Assert.Equal([urgentNew, high, normalOld, normalNew, lowOld], ordered);
    }

    [Fact]
    public void QueueOrder_SamePriorityAndWait_OrderedByConversationId()
    {
        var b = Item(2);
        var a = Item(1);

        Assert.Equal([a, b], RoutingPolicy.QueueOrder([b, a]));
    }

    // ---------------------------------------------------------------- Distribute

    [Fact]
    public void Distribute_MoreItemsThanCapacity_StopsAtCapacity()
    {
        var agent = Candidate(1, liveCapacity: 2, activeLive: 0);
        WorkItem[] items = [Item(1), Item(2), Item(3)];

        var assignments = RoutingPolicy.Distribute(items, [agent], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Equal([new(items[0].ConversationId, agent.Id), new RoutingAssignment(items[1].ConversationId, agent.Id)], assignments);
    }

    [Fact]
    public void Distribute_ExistingLoadCounts_OnlyRemainingRoomIsUsed()
    {
        var agent = Candidate(1, liveCapacity: 3, activeLive: 2);

        var assignments = RoutingPolicy.Distribute([Item(1), Item(2)], [agent], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Single(assignments);
    }

    [Fact]
    public void Distribute_ScarceCapacity_ServesHighestPriorityThenLongestWaiting()
    {
        var agent = Candidate(1, liveCapacity: 2);
        var normalOld = Item(1, priority: Priority.Normal, waitingSince: Now.AddHours(-1));
        var urgent = Item(2, priority: Priority.Urgent, waitingSince: Now);
        var normalNewer = Item(3, priority: Priority.Normal, waitingSince: Now.AddMinutes(-5));

        var assignments = RoutingPolicy.Distribute([normalNewer, normalOld, urgent], [agent], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Equal([urgent.ConversationId, normalOld.ConversationId], assignments.Select(a => a.ConversationId));
    }

    [Fact]
    public void Distribute_LeastBusy_SpreadsLoadAsItGoes()
    {
        var a = Candidate(1, liveCapacity: 4);
        var b = Candidate(2, liveCapacity: 4);

        var assignments = RoutingPolicy.Distribute([Item(1), Item(2), Item(3), Item(4)], [a, b], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Equal([a.Id, b.Id, a.Id, b.Id], assignments.Select(x => x.AgentId));
    }

    [Fact]
    public void Distribute_RoundRobin_RotatesByLastAssignment()
    {
        var a = Candidate(1, lastAssignedAt: Now.AddMinutes(-10));
        var b = Candidate(2, lastAssignedAt: Now.AddMinutes(-20));
        var c = Candidate(3, lastAssignedAt: Now.AddMinutes(-30));

        var assignments = RoutingPolicy.Distribute([Item(1), Item(2), Item(3)], [a, b, c], _ => RoutingStrategy.RoundRobin, Now);

        Assert.Equal([c.Id, b.Id, a.Id], assignments.Select(x => x.AgentId));
    }

    [Fact]
    public void Distribute_SameConversationTwice_AssignedOnce()
    {
        var item = Item(1);

        var assignments = RoutingPolicy.Distribute([item, item], [Candidate(1), Candidate(2)], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Equal(item.ConversationId, Assert.Single(assignments).ConversationId);
    }

    [Fact]
    public void Distribute_ManualTeam_LeavesItsItemsWaiting()
    {
        var support = Item(1, team: Support);
        var sales = Item(2, team: Sales);
        var agent = Candidate(1, teams: [Support, Sales]);

        var assignments = RoutingPolicy.Distribute([support, sales], [agent], t => t == Sales ? RoutingStrategy.Manual : RoutingStrategy.LeastBusy, Now);

        Assert.Equal(support.ConversationId, Assert.Single(assignments).ConversationId);
    }

    [Fact]
    public void Distribute_StrategyLookup_ReceivesItemTeam()
    {
        var asked = new List<TeamId?>();

        RoutingPolicy.Distribute([Item(1, team: Support), Item(2, team: null)], [], t => { asked.Add(t); return RoutingStrategy.LeastBusy; }, Now);

        Assert.Equal(new TeamId?[] { Support, null }.Order(), asked.Order());
    }

    [Fact]
    public void Distribute_TeamItems_OnlyToTeamMembers()
    {
        var supportAgent = Candidate(1, teams: [Support]);
        var salesAgent = Candidate(2, teams: [Sales]);
        var item = Item(1, team: Sales);

        var assignments = RoutingPolicy.Distribute([item], [supportAgent, salesAgent], _ => RoutingStrategy.LeastBusy, Now);

        Assert.Equal(salesAgent.Id, Assert.Single(assignments).AgentId);
    }

    [Fact]
    public void Distribute_NothingWaitingOrNoAgents_ReturnsEmpty()
    {
        Assert.Empty(RoutingPolicy.Distribute([], [Candidate(1)], _ => RoutingStrategy.LeastBusy, Now));
        Assert.Empty(RoutingPolicy.Distribute([Item(1)], [], _ => RoutingStrategy.LeastBusy, Now));
    }

    [Fact]
    public void WithOneMore_Kind_IncrementsThatLoadAndStampsTime()
    {
        var agent = Candidate(1, activeLive: 1, activeAsync: 4);

        var live = agent.WithOneMore(WorkKind.Live, Now);
        var async = agent.WithOneMore(WorkKind.Async, Now.AddMinutes(1));

        Assert.Equal((2, 4, Now), (live.ActiveLive, live.ActiveAsync, live.LastAssignedAt!.Value));
        Assert.Equal((1, 5, Now.AddMinutes(1)), (async.ActiveLive, async.ActiveAsync, async.LastAssignedAt!.Value));
        Assert.Equal((1, 4), (agent.ActiveLive, agent.ActiveAsync));
    }

    [Theory]
    [InlineData(ChannelKind.WebChat, WorkKind.Live)]
    [InlineData(ChannelKind.Email, WorkKind.Async)]
    [InlineData(ChannelKind.WhatsApp, WorkKind.Async)]
    [InlineData(ChannelKind.Api, WorkKind.Async)]
    public void WorkKind_Channel_OnlyWebChatIsLive(ChannelKind channel, WorkKind expected)
    {
        Assert.Equal(expected, channel.WorkKind());
    }

    // ---------------------------------------------------------------- sticky, overflow, refusals

    [Fact]
    public void Choose_PreferredAgentEligible_WinsOverLessBusyAgent_WithStickyReason()
    {
        var busy = Candidate(1, activeLive: 2);
        var idle = Candidate(2);
        var item = Item(team: Support) with { PreferredAgentId = busy.Id };

        var chosen = RoutingPolicy.Choose(item, [idle, busy], RoutingStrategy.LeastBusy);

        Assert.Equal((busy.Id, RoutingReason.Sticky), (chosen!.Value.Agent.Id, chosen.Value.Reason));
    }

    [Fact]
    public void Choose_PreferredAgentFull_FallsBackToStrategy()
    {
        var full = Candidate(1, liveCapacity: 2, activeLive: 2);
        var idle = Candidate(2);
        var item = Item(team: Support) with { PreferredAgentId = full.Id };

        var chosen = RoutingPolicy.Choose(item, [full, idle], RoutingStrategy.LeastBusy);

        Assert.Equal((idle.Id, RoutingReason.LeastBusy), (chosen!.Value.Agent.Id, chosen.Value.Reason));
    }

    [Fact]
    public void IsEligible_OverflowTeamAgent_OnlyOnceTheItemOverflows()
    {
        var salesAgent = Candidate(1, teams: [Sales]);
        Assert.False(RoutingPolicy.IsEligible(salesAgent, Item(team: Support)));
        var overflowing = Item(team: Support) with { OverflowTeamId = Sales };
        Assert.True(RoutingPolicy.IsEligible(salesAgent, overflowing));
        Assert.Equal(RoutingReason.Overflow, RoutingPolicy.Choose(overflowing, [salesAgent], RoutingStrategy.LeastBusy)!.Value.Reason);
    }

    [Fact]
    public void IsEligible_AgentWhoDeclined_IsPassedOver()
    {
        var decliner = Candidate(1);
        var item = Item(team: Support) with { ExcludedAgents = [decliner.Id] };
        Assert.False(RoutingPolicy.IsEligible(decliner, item));
        Assert.Null(RoutingPolicy.SelectAgent(item, [decliner], RoutingStrategy.LeastBusy));
    }

    [Fact]
    public void Distribute_RoundRobin_RotatesThroughEqualAgents()
    {
        var agents = new[] { Candidate(1, lastAssignedAt: Now.AddMinutes(-3)), Candidate(2, lastAssignedAt: Now.AddMinutes(-2)), Candidate(3, lastAssignedAt: Now.AddMinutes(-1)) };
        var items = Enumerable.Range(1, 6).Select(i => Item(i, team: Support, waitingSince: Now.AddSeconds(i))).ToList();

        var order = RoutingPolicy.Distribute(items, agents, _ => RoutingStrategy.RoundRobin, Now).Select(a => a.AgentId).ToList();

        Assert.Equal([Id(1), Id(2), Id(3), Id(1), Id(2), Id(3)], order);
    }
}
