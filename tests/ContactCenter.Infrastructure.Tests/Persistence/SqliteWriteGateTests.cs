using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Persistence;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Infrastructure.Tests.Persistence;

/// <summary>The per-file write gate's two lanes: FIFO within a lane, alternating between lanes, cancellation, and the router's lane on a real file.</summary>
public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task EnterAsync_FreeGate_EntersAtOnce_ReleaseFreesIt()
    {
        var gate = new SqliteWriteGate();

        await gate.EnterAsync(priority: false, CancellationToken.None).Within("a free gate");
        gate.Release();
        await gate.EnterAsync(priority: true, CancellationToken.None).Within("the gate, freed again");
        gate.Release();

        Assert.Throws<InvalidOperationException>(gate.Release);
    }

    [Fact]
    public async Task Release_BothLanesWaiting_AlternatesStartingWithPriority_FifoWithinALane()
    {
        var gate = new SqliteWriteGate();
        await gate.EnterAsync(priority: false, CancellationToken.None);
        var order = new List<string>();
        var waiters = new[] { ("normal 1", false), ("normal 2", false), ("normal 3", false), ("priority 1", true), ("priority 2", true) }
            .Select(w => (Name: w.Item1, Task: gate.EnterAsync(w.Item2, CancellationToken.None)))
            .ToList();
        Assert.Equal((3, 2), gate.Waiting);

        for (var i = 0; i < waiters.Count; i++)
        {
            gate.Release();
            var entered = waiters.Where(w => w.Task.IsCompleted).Select(w => w.Name).Except(order).ToList();
            Assert.Single(entered);
            order.Add(entered[0]);
        }

        Assert.Equal(["priority 1", "normal 1", "priority 2", "normal 2", "normal 3"], order);
        gate.Release();
        Assert.Equal((0, 0), gate.Waiting);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_LeavesItsLane_NextWaiterGetsTheGate()
    {
        var gate = new SqliteWriteGate();
        await gate.EnterAsync(priority: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(priority: true, cancel.Token);
        var next = gate.EnterAsync(priority: false, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled).Within("the cancelled wait");
        Assert.Equal((1, 0), gate.Waiting);
        gate.Release();

        await next.Within("the next waiter");
        gate.Release();
        Assert.Equal((0, 0), gate.Waiting);
    }

    [Fact]
    public async Task SaveChanges_InThePriorityLane_CommitsBeforeAnEarlierQueuedNormalSave()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        var connectionString = await database.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<ContactCenterDbContext>().Database.GetConnectionString()!));
        var gate = SqliteContactCenterDbContext.WriteGateFor(connectionString);
        await gate.EnterAsync(priority: false, CancellationToken.None); // Another writer holds the file.

        var normal = AddTeamAsync(database, "normal");
        await Waits.UntilAsync(() => Task.FromResult(gate.Waiting == (1, 0)), "the normal save to queue");
        Task priority;
        using (WriteLane.EnterPriority())
        {
            Assert.True(WriteLane.IsPriority);
            priority = AddTeamAsync(database, "priority");
        }

        Assert.False(WriteLane.IsPriority);
        await Waits.UntilAsync(() => Task.FromResult(gate.Waiting == (1, 1)), "the priority save to queue");
        gate.Release();
        await Task.WhenAll(normal, priority).Within("both saves");

        var committed = await database.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Database
            .SqlQueryRaw<string>("SELECT \"Name\" AS \"Value\" FROM \"Teams\" ORDER BY rowid").ToListAsync());
        Assert.Equal(["priority", "normal"], committed);
    }

    private static Task AddTeamAsync(SqliteDatabase database, string name) =>
        database.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(Team.Create(name).Value);
            return await db.SaveChangesAsync();
        });
}
