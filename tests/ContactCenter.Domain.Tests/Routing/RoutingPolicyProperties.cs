using System.Globalization;
using System.Text;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Routing;
using ContactCenter.Domain.Teams;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Routing;

/// <summary>A random routing situation: 0–20 agents, 0–60 waiting items, a strategy per team.</summary>
public sealed record RoutingScenario(
    IReadOnlyList<AgentCandidate> Agents,
    IReadOnlyList<WorkItem> Waiting,
    RoutingStrategy NoTeamStrategy,
    IReadOnlyList<RoutingStrategy> TeamStrategies)
{
    public RoutingStrategy StrategyOf(TeamId? team) =>
        team is { } t ? TeamStrategies[Array.IndexOf(RoutingGenerators.Teams, t)] : NoTeamStrategy;

    public IReadOnlyList<RoutingAssignment> Distribute() => RoutingPolicy.Distribute(Waiting, Agents, StrategyOf, Now);

    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"strategies: none={NoTeamStrategy}, teams=[{string.Join(", ", TeamStrategies)}]\n");
        foreach (var a in Agents)
        {
            text.Append(c, $"agent {Short(a.Id.Value)} {a.Presence} cap={a.Capacity.Live}/{a.Capacity.Async} load={a.ActiveLive}/{a.ActiveAsync} ")
                .Append(c, $"teams=[{string.Join(",", a.Teams.Select(t => Short(t.Value)))}] skills=[{Skills(a.Skills)}] last={a.LastAssignedAt?.ToString("HH:mm", c) ?? "never"}\n");
        }

        foreach (var i in Waiting)
        {
            text.Append(c, $"item {Short(i.ConversationId.Value)} team={(i.TeamId is { } t ? Short(t.Value) : "-")} {i.Kind} {i.Priority} since={i.WaitingSince:HH:mm} needs=[{Skills(i.RequiredSkills)}]\n");
        }

        return text.ToString();
    }

    private static string Short(Guid id) => id.ToString("N")[..8];

    private static string Skills(IReadOnlyDictionary<string, int>? skills) =>
        skills is null ? "" : string.Join(",", skills.Select(s => $"{s.Key}:{s.Value}"));
}

internal static class RoutingGenerators
{
    public static readonly TeamId[] Teams =
    [
        new(Guid.Parse("00000000-0000-0000-0000-0000000000f1")),
        new(Guid.Parse("00000000-0000-0000-0000-0000000000f2")),
        new(Guid.Parse("00000000-0000-0000-0000-0000000000f3")),
    ];

    private static readonly string[] SkillNames = ["billing", "tech", "spanish"];

    private static readonly Gen<IReadOnlyDictionary<string, int>> SkillSet =
        from names in Gen.SubListOf(SkillNames)
        from levels in Gen.ArrayOf(Gen.Choose(AgentSkill.MinLevel, AgentSkill.MaxLevel), names.Count)
        select (IReadOnlyDictionary<string, int>)names.Zip(levels).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

    private static readonly Gen<RoutingStrategy> Strategy = Gen.Frequency(
        (4, Gen.Constant(RoutingStrategy.LeastBusy)),
        (4, Gen.Constant(RoutingStrategy.RoundRobin)),
        (1, Gen.Constant(RoutingStrategy.Manual)));

    private static Gen<AgentCandidate> Agent(int index) =>
        from presence in Gen.Frequency(
            (3, Gen.Constant(Presence.Online)),
            (1, Gen.Elements(Presence.Offline, Presence.Away)))
        from liveCapacity in Gen.Choose(0, 4)
        from asyncCapacity in Gen.Choose(0, 6)
        from activeLive in Gen.Choose(0, 5)
        from activeAsync in Gen.Choose(0, 7)
        from teams in Gen.SubListOf(Teams)
        from skills in SkillSet
        from idSalt in Gen.Choose(0, 1000)
        from lastAssigned in Gen.Frequency(
            (1, Gen.Constant<DateTimeOffset?>(null)),
            (3, Gen.Choose(0, 60).Select(m => (DateTimeOffset?)Now.AddMinutes(-m))))
        select new AgentCandidate(
            new AgentId(new Guid(idSalt * 100 + index, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1])),
            presence,
            teams.ToArray(),
            skills,
            new Capacity(liveCapacity, asyncCapacity),
            activeLive,
            activeAsync,
            lastAssigned);

    private static Gen<WorkItem> Item(int index) =>
        from team in Gen.Frequency(
            (1, Gen.Constant<TeamId?>(null)),
            (3, Gen.Elements(Teams).Select(t => (TeamId?)t)))
        from kind in Gen.Elements(WorkKind.Live, WorkKind.Async)
        from priority in Gen.Elements(Enum.GetValues<Priority>())
        from waitedMinutes in Gen.Choose(0, 30)
        from required in Gen.Frequency(
            (2, Gen.Constant<IReadOnlyDictionary<string, int>?>(null)),
            (1, SkillSet.Select(s => (IReadOnlyDictionary<string, int>?)s)))
        select new WorkItem(
            new ConversationId(new Guid(index, 0, 0, [0, 0, 0, 0, 0, 0, 0, 2])),
            team,
            kind,
            priority,
            Now.AddMinutes(-waitedMinutes),
            required);

    public static readonly Gen<RoutingScenario> Scenario =
        from agentCount in Gen.Choose(0, 20)
        from agents in Gen.CollectToArray(Enumerable.Range(0, agentCount), Agent)
        from distinctCount in Gen.Choose(0, 57)
        from distinct in Gen.CollectToArray(Enumerable.Range(0, distinctCount), Item)
        from duplicatePicks in distinctCount == 0
            ? Gen.Constant(Array.Empty<int>())
            : Gen.ArrayOf(Gen.Choose(0, distinctCount - 1), 3).SelectMany(picks => Gen.SubListOf(picks).Select(p => p.ToArray()))
        from waiting in Gen.Shuffle(distinct.Concat(duplicatePicks.Select(p => distinct[p])))
        from noTeamStrategy in Strategy
        from teamStrategies in Gen.ArrayOf(Strategy, Teams.Length)
        select new RoutingScenario(agents, waiting, noTeamStrategy, teamStrategies);

    public static Arbitrary<RoutingScenario> ScenarioArb => Arb.From(Scenario);
}

public class RoutingPolicyProperties
{
    private const int Runs = 300;

    /// <summary>Replays the assignments in order, handing each step the pool state the router had at that point.</summary>
    private static Dictionary<AgentId, AgentCandidate> Replay(
        RoutingScenario scenario,
        IReadOnlyList<RoutingAssignment> assignments,
        Action<WorkItem, AgentCandidate, IReadOnlyCollection<AgentCandidate>>? onStep = null)
    {
        var pool = scenario.Agents.ToDictionary(a => a.Id);
        var queue = RoutingPolicy.QueueOrder(scenario.Waiting).ToList();
        foreach (var assignment in assignments)
        {
            var item = queue.First(i => i.ConversationId == assignment.ConversationId);
            var agent = pool[assignment.AgentId];
            onStep?.Invoke(item, agent, pool.Values);
            pool[agent.Id] = agent.WithOneMore(item.Kind, Now);
        }

        return pool;
    }

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_NeverGivesAConversationTwice() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var assignments = scenario.Distribute();

            Assert.Equal(assignments.Count, assignments.Select(a => a.ConversationId).Distinct().Count());
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_OnlyKnownAgentsAndWaitingConversations() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var agentIds = scenario.Agents.Select(a => a.Id).ToHashSet();
            var waitingIds = scenario.Waiting.Select(i => i.ConversationId).ToHashSet();

            Assert.All(scenario.Distribute(), a =>
            {
                Assert.Contains(a.AgentId, agentIds);
                Assert.Contains(a.ConversationId, waitingIds);
            });
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_NeverTakesAnAgentOverCapacity() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var kindOf = scenario.Waiting.GroupBy(i => i.ConversationId).ToDictionary(g => g.Key, g => g.First().Kind);
            var assignments = scenario.Distribute();

            foreach (var agent in scenario.Agents)
            {
                foreach (var kind in Enum.GetValues<WorkKind>())
                {
                    var added = assignments.Count(a => a.AgentId == agent.Id && kindOf[a.ConversationId] == kind);
                    if (added > 0)
                    {
                        Assert.True(
                            agent.Load(kind) + added <= agent.Capacity.For(kind),
                            $"{agent.Id} {kind}: load {agent.Load(kind)} + {added} assigned > capacity {agent.Capacity.For(kind)}");
                    }
                }
            }
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_OnlyAssignsEligibleAgents() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            Replay(scenario, scenario.Distribute(), (item, agent, _) =>
                Assert.True(RoutingPolicy.IsEligible(agent, item), $"{agent.Id} was not eligible for {item.ConversationId}"));
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_UnassignedItemsHaveNoEligibleAgentLeft() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var assignments = scenario.Distribute();
            var finalPool = Replay(scenario, assignments);
            var assigned = assignments.Select(a => a.ConversationId).ToHashSet();

            foreach (var item in scenario.Waiting.Where(i => !assigned.Contains(i.ConversationId)))
            {
                if (scenario.StrategyOf(item.TeamId) == RoutingStrategy.Manual)
                {
                    continue;
                }

                var eligible = finalPool.Values.Where(a => RoutingPolicy.IsEligible(a, item)).Select(a => a.Id).ToList();
                Assert.True(eligible.Count == 0, $"{item.ConversationId} left waiting although {string.Join(", ", eligible)} could take it");
            }
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_NeverAssignsManualItems() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var manual = scenario.Waiting
                .Where(i => scenario.StrategyOf(i.TeamId) == RoutingStrategy.Manual)
                .Select(i => i.ConversationId)
                .ToHashSet();

            Assert.DoesNotContain(scenario.Distribute(), a => manual.Contains(a.ConversationId));
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_AssignsInQueueOrder() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            var queue = RoutingPolicy.QueueOrder(scenario.Waiting).Select(i => i.ConversationId).Distinct().ToList();
            var positions = scenario.Distribute().Select(a => queue.IndexOf(a.ConversationId)).ToList();

            Assert.Equal(positions.Order(), positions);
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_RandomScenario_PicksTheBestEligibleAgentForTheStrategy() =>
        Prop.ForAll(RoutingGenerators.ScenarioArb, scenario =>
        {
            Replay(scenario, scenario.Distribute(), (item, chosen, pool) =>
            {
                var others = pool.Where(a => a.Id != chosen.Id && RoutingPolicy.IsEligible(a, item)).ToList();
                if (scenario.StrategyOf(item.TeamId) == RoutingStrategy.LeastBusy)
                {
                    var chosenRatio = Ratio(chosen, item.Kind);
                    Assert.DoesNotContain(others, a => Ratio(a, item.Kind) < chosenRatio);
                    others = others.Where(a => Ratio(a, item.Kind) == chosenRatio).ToList();
                }

                var chosenLast = chosen.LastAssignedAt ?? DateTimeOffset.MinValue;
                Assert.DoesNotContain(others, a => (a.LastAssignedAt ?? DateTimeOffset.MinValue) < chosenLast);
            });
        });

    [Property(MaxTest = Runs)]
    public Property Distribute_ShuffledInputs_GivesSameAssignments() =>
        Prop.ForAll(
            Arb.From(
                from scenario in RoutingGenerators.Scenario
                from agents in Gen.Shuffle(scenario.Agents.ToArray())
                from waiting in Gen.Shuffle(scenario.Waiting.ToArray())
                select (scenario, shuffled: scenario with { Agents = agents, Waiting = waiting })),
            pair => Assert.Equal(pair.scenario.Distribute(), pair.shuffled.Distribute()));

    private static double Ratio(AgentCandidate agent, WorkKind kind) =>
        (double)agent.Load(kind) / Math.Max(1, agent.Capacity.For(kind));
}
