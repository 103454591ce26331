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

    /// <summary>
    /// How many of a pass's assignments are saved in one transaction. A conflicting chunk (a concurrent reply, another
    /// node) falls back to one transaction per assignment, so one conflict never loses the chunk's other assignments.
    /// </summary>
    public int AssignChunkSize { get; set; } = 64;

    /// <summary>Route a returning customer back to their last agent when that agent was theirs within this window.</summary>
    public TimeSpan StickyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an agent may be without any connection before going offline (reconnects within it are seamless).</summary>
    public TimeSpan OfflineGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An agent who lets an offer expire (RONA) is set away, so the next customer is not offered to them too.</summary>
    public bool RonaSetsAway { get; set; } = true;
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
public sealed partial class ConversationRouter(IServiceScopeFactory scopes, TimeProvider time, IOptions<RoutingOptions> options, ILogger<ConversationRouter> logger,
    Diagnostics.ContactCenterMetrics metrics)
    : BackgroundService, IRoutingTrigger
{
    public override void Dispose()
    {
        _offerTimer?.Dispose();
        base.Dispose();
    }

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
        using var activity = Diagnostics.ContactCenterMetrics.Activity.StartActivity("routing pass");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stillWaiting = await RoutePassAsync(teams, cancellationToken);
        metrics.RoutingPass(System.Diagnostics.Stopwatch.GetElapsedTime(started), teams is null ? stillWaiting : null);
    }

    /// <summary>One pass; returns how many looked-at conversations are still waiting.</summary>
    private async Task<int> RoutePassAsync(HashSet<TeamId>? teams, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IApplicationDbContext>();
        var now = time.GetUtcNow();
        var settings = options.Value;

        await ExpireOffersAsync(services, now, cancellationToken);

        var waitingQuery = db.Conversations.AsNoTracking()
            .Where(c => c.WaitingSince != null && c.AssigneeId == null && c.OfferedAgentId == null
                && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open));
        if (teams is not null)
        {
            var teamList = teams.Select(t => (TeamId?)t).ToList();
            waitingQuery = waitingQuery.Where(c => teamList.Contains(c.TeamId));
        }

        var waiting = await waitingQuery
            .OrderByDescending(c => c.Priority).ThenBy(c => c.WaitingSince)
            .Take(settings.BatchSize)
            .Select(c => new { c.Id, c.TeamId, c.ContactId, c.Channel, c.Priority, c.WaitingSince, c.RequiredSkills, c.DeclinedAgentIds })
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            await ScheduleNextOfferExpiryAsync(db, cancellationToken);
            return 0;
        }

        var teamsById = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, cancellationToken);
        var agents = await db.Agents.AsNoTracking()
            .Where(a => a.IsActive && a.Presence == Presence.Online)
            .ToListAsync(cancellationToken);
        var assignments = new List<RoutingAssignment>();
        if (agents.Count > 0)
        {
            var candidates = await CandidatesAsync(db, agents, teamsById, cancellationToken);
            var sticky = await LastAgentsAsync(db, waiting.Select(w => w.ContactId).Distinct().ToList(), now - settings.StickyWindow, cancellationToken);
            var items = waiting.Select(w =>
            {
                var team = w.TeamId is { } id ? teamsById.GetValueOrDefault(id) : null;
                var overflow = team is { OverflowTeamId: { } o, OverflowAfterSeconds: { } after } && now - w.WaitingSince!.Value >= TimeSpan.FromSeconds(after) ? o : (TeamId?)null;
                return new WorkItem(w.Id, w.TeamId, w.Channel.WorkKind(), w.Priority, w.WaitingSince!.Value, w.RequiredSkills,
                    sticky.TryGetValue(w.ContactId, out var last) ? last : null, overflow, w.DeclinedAgentIds);
            }).ToList();
            assignments.AddRange(RoutingPolicy.Distribute(
                items,
                candidates,
                team => team is { } id && teamsById.TryGetValue(id, out var t) ? t.Strategy : RoutingStrategy.LeastBusy,
                now));
        }

        // The agent versions the decision was made on; bumped by what this pass applies, so the cross-node guard needs no re-read.
        var versions = agents.ToDictionary(a => a.Id, a => a.AssignmentVersion);
        var names = agents.ToDictionary(a => a.Id, a => a.DisplayName);
        var waitingById = waiting.ToDictionary(w => w.Id, w => (w.TeamId, WaitingSince: w.WaitingSince!.Value));
        var applied = 0;
        foreach (var chunk in assignments.Chunk(Math.Max(1, settings.AssignChunkSize)))
        {
            var decided = chunk.Select(a =>
            {
                var item = waitingById[a.ConversationId];
                return new Decided(a, item.TeamId is { } t ? teamsById.GetValueOrDefault(t) : null, item.WaitingSince);
            }).ToList();
            var done = await ApplyChunkAsync(db, decided, versions, names, now, cancellationToken);
            foreach (var one in done)
            {
                applied++;
                metrics.Routed(one.Team is { AssignmentMode: AssignmentMode.Offer }, now - one.WaitingSince);
            }
        }

        if (waiting.Count >= settings.BatchSize && assignments.Count > 0)
        {
            // A full batch was placed: more may be waiting behind it, so go again now rather than at the next sweep.
            Request(null);
        }

        var placed = assignments.Select(a => a.ConversationId).ToHashSet();
        await PublishQueueAsync(services, waiting.Where(w => !placed.Contains(w.Id) && w.Channel == ChannelKind.WebChat)
            .Select(w => (w.Id, w.ContactId, w.TeamId)).ToList(), agents, now, cancellationToken);
        await ScheduleNextOfferExpiryAsync(db, cancellationToken);
        return waiting.Count - applied;
    }

    /// <summary>Online agents with their load: assigned New/Open conversations plus pending offers, per work kind.</summary>
    private static async Task<List<AgentCandidate>> CandidatesAsync(IApplicationDbContext db, List<Agent> agents, Dictionary<TeamId, Team> teams, CancellationToken cancellationToken)
    {
        var agentIds = agents.Select(a => (AgentId?)a.Id).ToList();
        var assigned = await db.Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && agentIds.Contains(c.AssigneeId)
                && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
            .GroupBy(c => new { Agent = c.AssigneeId, c.Channel })
            .Select(g => new { g.Key.Agent, g.Key.Channel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var offered = await db.Conversations.AsNoTracking()
            .Where(c => c.OfferedAgentId != null && agentIds.Contains(c.OfferedAgentId))
            .GroupBy(c => new { Agent = c.OfferedAgentId, c.Channel })
            .Select(g => new { g.Key.Agent, g.Key.Channel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var loads = assigned.Concat(offered).ToList();
        return agents.Select(a =>
        {
            var mine = loads.Where(l => l.Agent == a.Id).ToList();
            return new AgentCandidate(
                a.Id,
                a.Presence,
                a.TeamIds,
                a.Skills.ToDictionary(s => s.Name, s => s.Level),
                a.EffectiveCapacity(teams),
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Live).Sum(l => l.Count),
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Async).Sum(l => l.Count),
                a.LastAssignedAt);
        }).ToList();
    }

    /// <summary>Each contact's most recent agent within the sticky window.</summary>
    private static async Task<Dictionary<ContactId, AgentId>> LastAgentsAsync(IApplicationDbContext db, List<ContactId> contacts, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var recent = await db.Conversations.AsNoTracking()
            .Where(c => contacts.Contains(c.ContactId) && c.AssigneeId != null && c.AssignedAt >= since)
            .Select(c => new { c.ContactId, c.AssigneeId, c.AssignedAt })
            .ToListAsync(cancellationToken);
        return recent.GroupBy(r => r.ContactId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.AssignedAt).First().AssigneeId!.Value);
    }

    private async Task ExpireOffersAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<IApplicationDbContext>();
        var expired = await db.Conversations
            .Where(c => c.OfferedAgentId != null && c.OfferExpiresAt <= now)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var conversation in expired)
        {
            conversation.ExpireOffer(now);
        }

        if (expired.Count > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Accepted or changed meanwhile: the next pass sees the truth.
                db.DiscardChanges();
                Request(null);
            }
        }
    }

    private ITimer? _offerTimer;

    /// <summary>Wakes the router when the next pending offer expires (RONA is on time, not on the next sweep).</summary>
    private async Task ScheduleNextOfferExpiryAsync(IApplicationDbContext db, CancellationToken cancellationToken)
    {
        var next = await db.Conversations.AsNoTracking()
            .Where(c => c.OfferedAgentId != null && c.OfferExpiresAt != null)
            .OrderBy(c => c.OfferExpiresAt)
            .Select(c => c.OfferExpiresAt)
            .FirstOrDefaultAsync(cancellationToken);
        _offerTimer?.Dispose();
        _offerTimer = null;
        if (next is { } at)
        {
            var due = at - time.GetUtcNow();
            _offerTimer = time.CreateTimer(_ => Request(null), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed record Decided(RoutingAssignment Assignment, Team? Team, DateTimeOffset WaitingSince);

    /// <summary>
    /// Applies a chunk of decisions in one transaction: the chunk's conversations and agents are loaded with one query
    /// each, every still-valid decision is applied in memory, and one save commits them all (the domain events, one per
    /// conversation, are dispatched after that commit). When the save conflicts, the chunk is applied one decision at a
    /// time instead, so only the conflicting decisions are looked at again. Returns the decisions applied.
    /// </summary>
    private async Task<List<Decided>> ApplyChunkAsync(IApplicationDbContext db, List<Decided> chunk, Dictionary<AgentId, int> versions,
        Dictionary<AgentId, string> names, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (chunk.Count == 1)
        {
            return await ApplyOneAsync(db, chunk[0], versions, names, now, cancellationToken) ? chunk : [];
        }

        db.DiscardChanges();
        var conversationIds = chunk.Select(d => d.Assignment.ConversationId).Distinct().ToList();
        var agentIds = chunk.Select(d => d.Assignment.AgentId).Distinct().ToList();
        var conversations = await db.Conversations.Where(c => conversationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var agents = await db.Agents.Where(a => agentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);

        var applied = new List<Decided>();
        var checkedAgents = new HashSet<AgentId>();
        var staleAgents = new HashSet<AgentId>();
        foreach (var decided in chunk)
        {
            var assignment = decided.Assignment;
            if (!conversations.TryGetValue(assignment.ConversationId, out var conversation) || !agents.TryGetValue(assignment.AgentId, out var agent)
                || !Applicable(conversation, agent))
            {
                continue;
            }

            if (staleAgents.Contains(agent.Id))
            {
                continue;
            }

            // The cross-node guard, once per agent: the version the decision saw. Later assignments of the same agent in
            // this chunk bump the tracked entity's version again and are covered by the same concurrency token on save.
            if (checkedAgents.Add(agent.Id) && agent.AssignmentVersion != versions[agent.Id])
            {
                staleAgents.Add(agent.Id);
                Request(conversation.TeamId);
                continue;
            }

            // A refused transition (closed or merged meanwhile) changes no state: that conversation is simply not applied.
            if (Decide(conversation, agent, decided, names, now).IsSuccess)
            {
                agent.RecordAssignment(now);
                applied.Add(decided);
            }
        }

        if (applied.Count == 0)
        {
            db.DiscardChanges();
            return applied;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent reply changed a conversation, or another node assigned one or an agent: apply one at a time,
            // each on fresh rows, so the others are not lost with the conflicting one.
            db.DiscardChanges();
            var fallback = new List<Decided>();
            foreach (var decided in chunk)
            {
                if (await ApplyOneAsync(db, decided, versions, names, now, cancellationToken))
                {
                    fallback.Add(decided);
                }
            }

            return fallback;
        }

        foreach (var agent in agents.Values.Where(a => checkedAgents.Contains(a.Id) && !staleAgents.Contains(a.Id)))
        {
            versions[agent.Id] = agent.AssignmentVersion;
        }

        db.DiscardChanges(); // keep the pass's change tracker small
        return applied;
    }

    private static bool Applicable(Conversation conversation, Agent agent) =>
        conversation.AssigneeId is null && conversation.OfferedAgentId is null && agent.Presence == Presence.Online;

    private static Result Decide(Conversation conversation, Agent agent, Decided decided, Dictionary<AgentId, string> names, DateTimeOffset now)
    {
        var name = names.GetValueOrDefault(agent.Id) ?? agent.DisplayName;
        return decided.Team is { AssignmentMode: AssignmentMode.Offer } team
            ? conversation.Offer(agent.Id, name, now + TimeSpan.FromSeconds(team.OfferTimeoutSeconds), decided.Assignment.Describe(), now)
            : conversation.Assign(agent.Id, name, Actor.Router, now, decided.Assignment.Describe());
    }

    /// <summary>Assigns (or offers) one conversation in its own transaction; false when anything changed since the decision (it is looked at again).</summary>
    private async Task<bool> ApplyOneAsync(IApplicationDbContext db, Decided decided, Dictionary<AgentId, int> versions, Dictionary<AgentId, string> names,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var assignment = decided.Assignment;
        db.DiscardChanges();
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == assignment.ConversationId, cancellationToken);
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == assignment.AgentId, cancellationToken);
        if (conversation is null || agent is null || !Applicable(conversation, agent))
        {
            db.DiscardChanges();
            return false;
        }

        if (agent.AssignmentVersion != versions[agent.Id])
        {
            // Another node (or a manual assignment) gave this agent work after the loads were read: decide again.
            db.DiscardChanges();
            Request(conversation.TeamId);
            return false;
        }

        if (!Decide(conversation, agent, decided, names, now).IsSuccess)
        {
            db.DiscardChanges();
            return false;
        }

        agent.RecordAssignment(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            versions[agent.Id] = agent.AssignmentVersion;
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile (a reply, or another node assigned it or the agent): look at it again on the next pass.
            Request(conversation.TeamId);
            return false;
        }
        finally
        {
            db.DiscardChanges(); // keep the pass's change tracker small: each assignment is its own unit of work
        }
    }

    /// <summary>Tells waiting web chat customers their place in the queue and an estimated wait.</summary>
    private static async Task PublishQueueAsync(IServiceProvider services, List<(ConversationId Id, ContactId ContactId, TeamId? TeamId)> waiting, List<Agent> online, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (waiting.Count == 0)
        {
            return;
        }

        var db = services.GetRequiredService<IApplicationDbContext>();
        var since = now - TimeSpan.FromHours(1);
        var recent = await db.Conversations.AsNoTracking()
            .Where(c => c.AssignedAt != null && c.AssignedAt >= since && c.Channel == ChannelKind.WebChat)
            .Select(c => new { c.CreatedAt, c.AssignedAt })
            .Take(500)
            .ToListAsync(cancellationToken);
        var averageWait = recent.Count > 0
            ? TimeSpan.FromSeconds(recent.Average(r => Math.Max(0, (r.AssignedAt!.Value - r.CreatedAt).TotalSeconds)))
            : TimeSpan.FromSeconds(60);
        var positions = waiting.GroupBy(w => w.TeamId).SelectMany(g =>
        {
            var agentsInTeam = Math.Max(1, online.Count(a => g.Key is null || a.IsInTeam(g.Key.Value)));
            return g.Select((w, index) => new Realtime.QueuePositionDto(
                w.ContactId.Value, w.Id.Value, index + 1,
                (int)Math.Ceiling(averageWait.TotalSeconds * (index + 1) / agentsInTeam)));
        }).ToList();
        await services.GetRequiredService<Realtime.IRealtimeNotifier>().QueuePositionsAsync(positions, cancellationToken);
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
