using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Routing;

/// <summary>Hundreds of simultaneous customers while agents come and go; then the database must hold the invariants.</summary>
public sealed class RoutingConcurrencyTests : IDisposable
{
    private const int Agents = 10;
    private const int Capacity = 3;
    private const int Customers = 200;

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["Routing:OfflineGrace"] = "00:00:00",
        ["Routing:SweepInterval"] = "00:00:01",
        ["RateLimits:WidgetSessionsPerMinute"] = "100000",
    });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task ManyCustomersAndPresenceChanges_AtOnce_NeverOverCapacity_NothingForgotten()
    {
        var team = await _host.CreateTeamAsync("Support");
        var inbox = await _host.CreateInboxAsync("Chat", ChannelKind.WebChat, team.Id);
        var agents = new List<AgentClient>();
        for (var i = 0; i < Agents; i++)
        {
            agents.Add(await _host.ConnectAgentAsync($"agent{i}@t.local", $"Agent {i}", team.Id));
        }

        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            foreach (var agent in await db.Agents.ToListAsync())
            {
                agent.SetCapacity(new Capacity(Capacity, 10));
            }

            await db.SaveChangesAsync();
        });

        var customers = new List<HubConnection>();
        try
        {
            using var gate = new SemaphoreSlim(40);
            var sends = Enumerable.Range(0, Customers).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var (connection, _) = await _host.CustomerAsync(inbox.Id.Value, $"Customer {i}");
                    lock (customers)
                    {
                        customers.Add(connection);
                    }

                    await connection.SayAsync($"Question {i}");
                }
                finally
                {
                    gate.Release();
                }
            });

            // Meanwhile half the agents drop off and come back (presence changes racing the router).
            var churn = Task.Run(async () =>
            {
                for (var round = 0; round < 3; round++)
                {
                    foreach (var agent in agents.Take(Agents / 2))
                    {
                        await agent.Connection.StopAsync();
                    }

                    foreach (var agent in agents.Take(Agents / 2))
                    {
                        await agent.Connection.StartAsync();
                    }
                }
            });

            await Task.WhenAll(sends.Append(churn)).Within("all customers and the churn", TimeSpan.FromSeconds(120));
            foreach (var agent in agents)
            {
                await _host.UntilPresenceAsync(agent.Agent.Id, Presence.Online);
            }

            // Settled: every agent full, the rest waiting in the queue.
            await Waits.UntilAsync(
                async () => (await AssignedCountsAsync()).Values.Sum() == Agents * Capacity,
                "every agent to be filled to capacity",
                TimeSpan.FromSeconds(60));

            var conversations = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().ToListAsync());
            Assert.Equal(Customers, conversations.Count);
            var perAgent = await AssignedCountsAsync();
            Assert.All(perAgent.Values, n => Assert.True(n <= Capacity, $"an agent holds {n} live chats (capacity {Capacity})"));
            Assert.Equal(Agents, perAgent.Count);
            var waiting = conversations.Where(c => c.AssigneeId is null).ToList();
            Assert.Equal(Customers - (Agents * Capacity), waiting.Count);
            Assert.All(waiting, c => Assert.NotNull(c.WaitingSince));
            var messages = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync());
            Assert.Equal(Customers, messages);
        }
        finally
        {
            foreach (var customer in customers)
            {
                await customer.DisposeAsync();
            }

            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private Task<Dictionary<AgentId, int>> AssignedCountsAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
            .GroupBy(c => c.AssigneeId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count));
}
