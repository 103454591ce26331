using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Supervision;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Supervision;

/// <param name="LiveServiceLevel">Web chats of the last 24 hours answered within the live target (null: none in the window).</param>
/// <param name="AsyncServiceLevel">Email and messaging of the last 24 hours answered within the async target (null: none).</param>
/// <param name="Abandoned">Web chats of the last 24 hours that ended before any agent's reply (<see cref="ServiceLevel.IsAbandoned"/>).</param>
/// <param name="WaitingList">The longest-waiting conversations of the queue, oldest first.</param>
public sealed record QueueStat(Guid? TeamId, string TeamName, int Waiting, double LongestWaitSeconds, int Open, int AgentsOnline,
    ServiceLevelFigure? LiveServiceLevel = null, ServiceLevelFigure? AsyncServiceLevel = null, int Abandoned = 0, IReadOnlyList<WaitingConversation>? WaitingList = null);

/// <summary>A conversation waiting in a queue for an agent.</summary>
public sealed record WaitingConversation(Guid Id, long Number, string Subject, ChannelKind Channel, Priority Priority, DateTimeOffset WaitingSince);

public sealed record AgentStat(Guid AgentId, string DisplayName, Presence Presence, string? AwayReason, int ActiveLive, int ActiveAsync, int LiveCapacity, int AsyncCapacity);

/// <param name="ByStatus">Active conversations by status; Resolved and Closed count those resolved in the last 24 hours.</param>
/// <param name="ServiceLevelWindowHours">The window of the queues' service level and abandoned counts: conversations created in the last N hours.</param>
public sealed record SupervisorSnapshot(DateTimeOffset At, IReadOnlyList<QueueStat> Queues, IReadOnlyList<AgentStat> Agents, IReadOnlyDictionary<ConversationStatus, int> ByStatus, IReadOnlyDictionary<ChannelKind, int> ActiveByChannel,
    Sla.SlaWatchList? Sla = null, IReadOnlyList<UpsetConversation>? Upset = null, int ServiceLevelWindowHours = 24);

/// <summary>An active conversation whose customer reads upset now (latest message) or that was escalated.</summary>
public sealed record UpsetConversation(Guid Id, long Number, string Subject, EmotionLabel? Emotion, double? Score, int EscalationLevel, Priority Priority, Guid? AssigneeId, DateTimeOffset LastMessageAt);

/// <summary>The supervisor's live picture: queues, agents and their load, work by status and channel, SLA at risk and breached.</summary>
public sealed class SupervisorQueries(IApplicationDbContext db, TimeProvider time, Sla.SlaQueries sla, IOptions<ServiceLevelOptions> serviceLevel)
{
    public async Task<SupervisorSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var teams = await db.Teams.AsNoTracking().ToListAsync(cancellationToken);
        var teamsById = teams.ToDictionary(t => t.Id);
        var waiting = await db.Conversations.AsNoTracking()
            .Where(c => c.WaitingSince != null && c.AssigneeId == null && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
            .GroupBy(c => c.TeamId)
            .Select(g => new { Team = g.Key, Count = g.Count(), Oldest = g.Min(c => c.WaitingSince) })
            .ToListAsync(cancellationToken);
        var open = await db.Conversations.AsNoTracking()
            .Where(c => c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open)
            .GroupBy(c => c.TeamId)
            .Select(g => new { Team = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().Where(a => a.IsActive).OrderBy(a => a.DisplayName).ToListAsync(cancellationToken);
        var loads = await db.Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
            .GroupBy(c => new { c.AssigneeId, c.Channel })
            .Select(g => new { g.Key.AssigneeId, g.Key.Channel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        // Work by status: every active conversation, and those resolved or closed in the last 24 hours. Counting the whole
        // history by status scanned every conversation (half a second at a million); both parts are seeks on
        // (Status, LastMessageAt) and (Status, ResolvedAt).
        var byStatus = await db.Conversations.AsNoTracking()
            .Where(c => c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Pending || c.Status == ConversationStatus.Snoozed)
            .GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var endedSince = now.AddDays(-1);
        foreach (var ended in await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.Resolved || c.Status == ConversationStatus.Closed) && c.ResolvedAt >= endedSince)
            .GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken))
        {
            byStatus[ended.Key] = ended.Count;
        }

        var byChannel = await db.Conversations.AsNoTracking()
            .Where(c => c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Pending)
            .GroupBy(c => c.Channel).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var options = serviceLevel.Value;
        var samples = await ServiceLevelSamplesAsync(now - ServiceLevelOptions.Window, cancellationToken);
        var teamRows = teams.Select(t => (Id: (TeamId?)t.Id, t.Name)).Append((Id: null, Name: "No team")).ToList();
        var waitingLists = await WaitingListsAsync(teamRows.Select(t => t.Id), options.WaitingListSize, cancellationToken);
        var queues = teamRows.Select(t =>
        {
            var w = waiting.FirstOrDefault(x => x.Team == t.Id);
            var online = agents.Count(a => a.Presence == Presence.Online && (t.Id is null || a.IsInTeam(t.Id.Value)));
            var mine = samples.TryGetValue(t.Id?.Value ?? Guid.Empty, out var rows) ? rows : [];
            return new QueueStat(t.Id?.Value, t.Name, w?.Count ?? 0, w?.Oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0,
                open.FirstOrDefault(x => x.Team == t.Id)?.Count ?? 0, online,
                Figure(mine, WorkKind.Live, options.LiveTargetSeconds, options.GoalPercent, now),
                Figure(mine, WorkKind.Async, options.AsyncTargetSeconds, options.GoalPercent, now),
                mine.Count(ServiceLevel.IsAbandoned),
                waitingLists.GetValueOrDefault(t.Id?.Value ?? Guid.Empty, []));
        }).Where(q => q.TeamId is not null || q.Waiting > 0 || q.Open > 0).ToList();

        var agentStats = agents.Select(a =>
        {
            var mine = loads.Where(l => l.AssigneeId == a.Id).ToList();
            var capacity = a.EffectiveCapacity(teamsById);
            return new AgentStat(a.Id.Value, a.DisplayName, a.Presence, a.AwayReason,
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Live).Sum(l => l.Count),
                mine.Where(l => l.Channel.WorkKind() == WorkKind.Async).Sum(l => l.Count),
                capacity.Live, capacity.Async);
        }).ToList();

        var watch = await sla.WatchListAsync(20, cancellationToken);
        var upset = await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Pending)
                && (c.CustomerEmotion == EmotionLabel.Frustrated || c.CustomerEmotion == EmotionLabel.Angry || c.EscalationLevel > 0))
            .OrderByDescending(c => c.EscalationLevel).ThenByDescending(c => c.CustomerEmotionScore).Take(20)
            .Select(c => new UpsetConversation(c.Id.Value, c.Number, c.Subject, c.CustomerEmotion, c.CustomerEmotionScore, c.EscalationLevel, c.Priority, c.AssigneeId == null ? null : c.AssigneeId.Value.Value, c.LastMessageAt))
            .ToListAsync(cancellationToken);
        return new SupervisorSnapshot(now, queues, agentStats, byStatus, byChannel, watch, upset, (int)ServiceLevelOptions.Window.TotalHours);
    }

    private static ServiceLevelFigure? Figure(IReadOnlyList<ServiceLevelSample> samples, WorkKind work, int targetSeconds, int goalPercent, DateTimeOffset now) =>
        samples.Any(s => s.Channel.WorkKind() == work)
            ? ServiceLevel.Compute(samples, work, TimeSpan.FromSeconds(targetSeconds), goalPercent, now)
            : null;

    // The window's conversations by team (no team: Guid.Empty): a range on the CreatedAt index, a few columns per row.
    private async Task<Dictionary<Guid, List<ServiceLevelSample>>> ServiceLevelSamplesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= since)
            .Select(c => new { c.TeamId, c.Channel, c.Status, c.CreatedAt, c.FirstRespondedAt, c.ResolvedAt, c.ClosedAt, Merged = c.MergedIntoId != null })
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(r => r.TeamId?.Value ?? Guid.Empty)
            .ToDictionary(g => g.Key, g => g.Select(r => new ServiceLevelSample(r.Channel, r.Status, r.CreatedAt, r.FirstRespondedAt, r.ResolvedAt ?? r.ClosedAt, r.Merged)).ToList());
    }

    // The oldest waiting conversations of each queue: one seek per team on (TeamId, WaitingSince), already in order.
    private async Task<Dictionary<Guid, IReadOnlyList<WaitingConversation>>> WaitingListsAsync(IEnumerable<TeamId?> teamIds, int take, CancellationToken cancellationToken)
    {
        var lists = new Dictionary<Guid, IReadOnlyList<WaitingConversation>>();
        foreach (var teamId in teamIds)
        {
            var rows = db.Conversations.AsNoTracking();
            rows = teamId is { } id ? rows.Where(c => c.TeamId == id) : rows.Where(c => c.TeamId == null);
            lists[teamId?.Value ?? Guid.Empty] = await rows
                .Where(c => c.WaitingSince != null && c.AssigneeId == null && (c.Status == ConversationStatus.New || c.Status == ConversationStatus.Open))
                .OrderBy(c => c.WaitingSince).Take(take)
                .Select(c => new WaitingConversation(c.Id.Value, c.Number, c.Subject, c.Channel, c.Priority, c.WaitingSince!.Value))
                .ToListAsync(cancellationToken);
        }

        return lists;
    }
}
