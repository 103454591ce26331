using System.Collections.Concurrent;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Scale;
using ContactCenter.Web.Tests.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>
/// Two app nodes on one database and a real redis-server that is killed and started again (empty) while
/// clients stay connected: each node keeps serving its own clients meanwhile, and pushes between nodes
/// resume by themselves — the failure other products show is sockets that stay open but deliver nothing.
/// </summary>
public sealed class RedisRestartTests : IAsyncLifetime
{
    private TwoNodeCluster _cluster = default!;
    private RedisServer _redis = default!;
    private ContactCenterHost _nodeA = default!;
    private ContactCenterHost _nodeB = default!;

    public async Task InitializeAsync()
    {
        _cluster = await TwoNodeCluster.StartAsync(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:30" });
        (_redis, _nodeA, _nodeB) = (_cluster.Redis, _cluster.NodeA, _cluster.NodeB);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RedisKilledAndStartedAgain_NodesServeTheirOwnClientsMeanwhile_AndPushesBetweenNodesResume()
    {
        var team = await _nodeA.CreateTeamAsync("Support");
        var inbox = await _nodeA.CreateInboxAsync("Chat", ChannelKind.WebChat, team.Id);
        await using var agent = await _nodeA.ConnectAgentAsync("a@t.local", "Ann", team.Id);
        var atAgent = new ConcurrentDictionary<Guid, string>();
        agent.Connection.On<MessageDto>(nameof(IAgentClient.MessageCreated), m =>
        {
            if (m.Direction == MessageDirection.Inbound)
            {
                atAgent[m.Id] = m.Text;
            }
        });
        var (onA, _) = await _nodeA.CustomerAsync(inbox.Id.Value, "Ana");
        await using var customerOnA = onA;
        var (onB, _) = await _nodeB.CustomerAsync(inbox.Id.Value, "Ben");
        await using var customerOnB = onB;
        var atBen = new ConcurrentQueue<string>();
        customerOnB.On<ChatMessageDto>(nameof(IChatClient.MessageReceived), m =>
        {
            if (!m.FromCustomer)
            {
                atBen.Enqueue(m.Text);
            }
        });

        var before = await customerOnB.SayAsync("Ben, before the restart");
        await Waits.UntilAsync(() => Task.FromResult(atAgent.ContainsKey(before.MessageId)), "node B's customer message at node A's agent (Redis up)");

        await _redis.KillAsync();

        // Redis is down: the customer on the agent's node is served at once, and nothing sent is lost.
        var sendWhileDown = customerOnA.SayAsync("Ana, while Redis is down");
        var whileDown = await sendWhileDown.Within("a send on the agent's own node while Redis is down", TimeSpan.FromSeconds(5));
        await Waits.UntilAsync(() => Task.FromResult(atAgent.ContainsKey(whileDown.MessageId)), "the message to reach the agent on the same node while Redis is down", TimeSpan.FromSeconds(5));
        var acrossWhileDown = await customerOnB.SayAsync("Ben, while Redis is down").Within("a send on the other node while Redis is down", TimeSpan.FromSeconds(5));

        await _redis.StartAgainAsync();
        await Waits.UntilAsync(
            async () => (await _nodeA.Services.GetRequiredService<SharedRedis>().GetAsync()).IsConnected
                && (await _nodeB.Services.GetRequiredService<SharedRedis>().GetAsync()).IsConnected,
            "both nodes to reconnect to Redis by themselves",
            TimeSpan.FromSeconds(20));

        // Pushes between the nodes flow again, both ways, with no action from anyone.
        var after = await customerOnB.SayAsync("Ben, after the restart");
        await Waits.UntilAsync(() => Task.FromResult(atAgent.ContainsKey(after.MessageId)), "node B's customer message at node A's agent after the restart", TimeSpan.FromSeconds(15));
        await agent.Connection.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(after.ConversationId, "Answered from node A", false, "r-after")).Within("the agent's reply");
        await Waits.UntilAsync(() => Task.FromResult(atBen.Contains("Answered from node A")), "the agent's reply at node B's customer after the restart", TimeSpan.FromSeconds(15));

        // Nothing acknowledged meanwhile was lost: every message is in the database once.
        var stored = await _nodeA.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<ContactCenter.Application.Abstractions.IApplicationDbContext>().Messages
            .Where(m => m.Direction == MessageDirection.Inbound).Select(m => m.Id).ToList()));
        Assert.Equal(4, stored.Count);
        Assert.Contains(new MessageId(acrossWhileDown.MessageId), stored);
        Assert.Contains(new MessageId(whileDown.MessageId), stored);
    }
}
