using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Tests.Scale;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Routing;

/// <summary>Two app nodes on one database with a real redis-server SignalR backplane.</summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private TwoNodeCluster _cluster = default!;
    private ContactCenterHost _nodeA = default!;
    private ContactCenterHost _nodeB = default!;

    public async Task InitializeAsync()
    {
        _cluster = await TwoNodeCluster.StartAsync(new Dictionary<string, string?>
        {
            ["Routing:OfflineGrace"] = "00:00:00",
            ["Routing:SweepInterval"] = "00:00:01",
        });
        (_nodeA, _nodeB) = (_cluster.NodeA, _cluster.NodeB);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task CustomerOnOneNode_AgentOnTheOther_MessagesFlowBothWaysThroughRedis()
    {
        var team = await _nodeA.CreateTeamAsync("Support");
        var inbox = await _nodeA.CreateInboxAsync("Chat", ChannelKind.WebChat, team.Id);
        await using var agent = await _nodeA.ConnectAgentAsync("a@t.local", "Ann", team.Id);
        var received = new TaskCompletionSource<MessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Connection.On<MessageDto>(nameof(IAgentClient.MessageCreated), m =>
        {
            if (m.Direction == MessageDirection.Inbound)
            {
                received.TrySetResult(m);
            }
        });

        var (customer, _) = await _nodeB.CustomerAsync(inbox.Id.Value, "Carla");
        await using var _ = customer;
        var reply = new TaskCompletionSource<ChatMessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.On<ChatMessageDto>(nameof(IChatClient.MessageReceived), m =>
        {
            if (!m.FromCustomer)
            {
                reply.TrySetResult(m);
            }
        });

        var sent = await customer.SayAsync("Written on node B");
        var atAgent = await received.Task.Within("the agent on node A to receive the message sent on node B");
        Assert.Equal(sent.MessageId, atAgent.Id);

        await agent.Connection.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(sent.ConversationId, "Answered on node A", false, "r-1")).Within("reply");
        var atCustomer = await reply.Task.Within("the customer on node B to receive the reply sent on node A");
        Assert.Equal("Answered on node A", atCustomer.Text);
    }

    [Fact]
    public async Task ManyCustomersOnBothNodes_RoutersOnBothNodes_NeverDoubleAssignOrOverfill()
    {
        const int capacity = 2;
        var team = await _nodeA.CreateTeamAsync("Support");
        var inbox = await _nodeA.CreateInboxAsync("Chat", ChannelKind.WebChat, team.Id);
        var agents = new List<AgentClient>();
        for (var i = 0; i < 4; i++)
        {
            var node = i % 2 == 0 ? _nodeA : _nodeB;
            agents.Add(await node.ConnectAgentAsync($"agent{i}@t.local", $"Agent {i}", team.Id));
        }

        await _nodeA.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            foreach (var a in await db.Agents.ToListAsync())
            {
                a.SetCapacity(new Capacity(capacity, 10));
            }

            await db.SaveChangesAsync();
        });

        var customers = new List<HubConnection>();
        try
        {
            var sends = Enumerable.Range(0, 30).Select(async i =>
            {
                var (connection, _) = await (i % 2 == 0 ? _nodeA : _nodeB).CustomerAsync(inbox.Id.Value, $"Customer {i}");
                lock (customers)
                {
                    customers.Add(connection);
                }

                await connection.SayAsync($"Question {i}");
            });
            await Task.WhenAll(sends).Within("all customers", TimeSpan.FromSeconds(60));

            await Waits.UntilAsync(
                async () => await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.CountAsync(c => c.AssigneeId != null)) == 4 * capacity,
                "every agent to be filled",
                TimeSpan.FromSeconds(30));

            // A few more sweeps on both nodes must not change the picture.
            var routerA = _nodeA.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
            var routerB = _nodeB.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
            var (pa, pb) = (routerA.Passes, routerB.Passes);
            await Waits.UntilAsync(() => Task.FromResult(routerA.Passes >= pa + 2 && routerB.Passes >= pb + 2), "two more sweeps on each node");

            var perAgent = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
                .Where(c => c.AssigneeId != null && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
                .GroupBy(c => c.AssigneeId!.Value).Select(g => g.Count()).ToListAsync());
            Assert.Equal(4, perAgent.Count);
            Assert.All(perAgent, n => Assert.Equal(capacity, n));
            var waiting = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.CountAsync(c => c.AssigneeId == null && c.WaitingSince != null));
            Assert.Equal(30 - (4 * capacity), waiting);
            var assignedTwice = await _nodeA.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
                .Where(t => t.Kind == TimelineKind.Assigned).GroupBy(t => t.ConversationId).CountAsync(g => g.Count() > 1));
            Assert.Equal(0, assignedTwice);
        }
        finally
        {
            foreach (var c in customers)
            {
                await c.DisposeAsync();
            }

            foreach (var a in agents)
            {
                await a.DisposeAsync();
            }
        }
    }
}
