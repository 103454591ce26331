using System.Threading.Channels;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Routing;
using ContactCenter.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Routing;

public sealed class RoutingOptions
{
    /// <summary>How often every queue is swept, so that no waiting conversation is ever forgotten.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many waiting conversations one pass looks at.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>Asks the router to look at a queue (a team, or every queue when null).</summary>
public interface IRoutingTrigger
{
    void Request(TeamId? teamId);
}

/// <summary>
/// Places waiting conversations with agents. One consumer per node serialises decisions, so on one
/// node an agent never goes over capacity and a conversation never gets two agents; the decision is
/// the pure <see cref="RoutingPolicy"/>. Optimistic concurrency on conversations guards across nodes.
/// </summary>
public sealed partial class ConversationRouter(IServiceScopeFactory scopes, TimeProvider time, IOptions<RoutingOptions> options, ILogger<ConversationRouter> logger)
    : BackgroundService, IRoutingTrigger
{
    private static readonly TeamId AllTeams = new(Guid.Empty);
    private readonly Channel<TeamId> _requests = Channel.CreateUnbounded<TeamId>(new UnboundedChannelOptions { SingleReader = true });
    private long _passes;

    /// <summary>Completed routing passes (for tests and diagnostics).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public void Request(TeamId? teamId) => _requests.Writer.TryWrite(teamId ?? AllTeams);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sweep = new PeriodicTimer(options.Value.SweepInterval, time);
        var sweeper = SweepAsync(sweep, stoppingToken);
        Request(null);
        try
        {
            while (await _requests.Reader.WaitToReadAsync(stoppingToken))
            {
                var teams = new HashSet<TeamId>();
                while (_requests.Reader.TryRead(out var team))
                {
                    teams.Add(team);
                }

                try
                {
                    await RouteAsync(teams.Contains(AllTeams) ? null : teams, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // the router must survive a failed pass; the sweep retries
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogPassFailed(logger, ex);
                }

                Interlocked.Increment(ref _passes);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sweeper;
    }

    private async Task SweepAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Request(null);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RouteAsync(HashSet<TeamId>? teams, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var now = time.GetUtcNow();

        var waitingQuery = db.Conversations.AsNoTracking()
            .Where(c => c.WaitingSince != null && c.AssigneeId == null
                && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open));
        if (teams is not null)
        {
            var teamList = teams.Select(t => (TeamId?)t).ToList();
            waitingQuery = waitingQuery.Where(c => teamList.Contains(c.TeamId));
        }

        var waiting = await waitingQuery
            .OrderByDescending(c => c.Priority).ThenBy(c => c.WaitingSince)
            .Take(options.Value.BatchSize)
            .Select(c => new { c.Id, c.TeamId, c.Channel, c.Priority, c.WaitingSince })
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return;
        }

        var agents = await db.Agents.AsNoTracking()
            .Where(a => a.IsActive && a.Presence == Presence.Online)
            .ToListAsync(cancellationToken);
        if (agents.Count == 0)
        {
            return;
        }

        var agentIds = agents.Select(a => (AgentId?)a.Id).ToList();
        var loads = await db.Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && agentIds.Contains(c.AssigneeId)
                && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
            .GroupBy(c => new { c.AssigneeId, c.Channel })
            .Select(g => new { g.Key.AssigneeId, g.Key.Channel, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var candidates = agents.Select(a =>
        {
            var mine = loads.Where(l => l.AssigneeId == a.Id).ToList();
            return new AgentCandidate(
                a.Id,
                a.Presence,
                a.TeamIds,
                a.Skills.ToDictionary(s => s.Name, s => s.Level),
                a.Capacity,
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Live).Sum(l => l.Count),
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Async).Sum(l => l.Count),
                a.LastAssignedAt);
        }).ToList();

        var strategies = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Strategy, cancellationToken);
        var items = waiting.Select(w => new WorkItem(w.Id, w.TeamId, w.Channel.WorkKind(), w.Priority, w.WaitingSince!.Value)).ToList();
        var assignments = RoutingPolicy.Distribute(
            items,
            candidates,
            team => team is { } id && strategies.TryGetValue(id, out var s) ? s : RoutingStrategy.LeastBusy,
            now);

        foreach (var assignment in assignments)
        {
            await ApplyAsync(scope.ServiceProvider, assignment, agents.First(a => a.Id == assignment.AgentId), now, cancellationToken);
        }
    }

    private async Task ApplyAsync(IServiceProvider services, RoutingAssignment assignment, Agent agentSnapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<IApplicationDbContext>();
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == assignment.ConversationId, cancellationToken);
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == assignment.AgentId, cancellationToken);
        if (conversation is null || agent is null || conversation.AssigneeId is not null || agent.Presence != Presence.Online)
        {
            return;
        }

        if (!conversation.Assign(agent.Id, agentSnapshot.DisplayName, Actor.Router, now).IsSuccess)
        {
            return;
        }

        agent.RecordAssignment(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile (a reply, or another node assigned it): look at it again on the next pass.
            db.DiscardChanges();
            Request(conversation.TeamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A routing pass failed; the next sweep retries")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}

/// <summary>Wakes the router whenever work appears or capacity frees up.</summary>
public sealed class RoutingTriggers(IRoutingTrigger router) :
    IDomainEventHandler<ConversationNeedsAgent>,
    IDomainEventHandler<ConversationStatusChanged>,
    IDomainEventHandler<AgentPresenceChanged>
{
    public Task HandleAsync(ConversationNeedsAgent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        router.Request(domainEvent.TeamId);
        return Task.CompletedTask;
    }

    public Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (!StatusRules.CountsAgainstCapacity(domainEvent.To))
        {
            router.Request(null);
        }

        return Task.CompletedTask;
    }

    public Task HandleAsync(AgentPresenceChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.To == Presence.Online)
        {
            router.Request(null);
        }

        return Task.CompletedTask;
    }
}
