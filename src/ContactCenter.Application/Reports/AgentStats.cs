using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>The key of one agent roll-up row: a UTC day and an agent.</summary>
public readonly record struct AgentDayKey(DateOnly Day, Guid AgentId);

/// <summary>
/// What the agent report needs of one agent for the conversations opened on one UTC day (definitions on
/// <see cref="AgentPerformanceRow"/>). Built live from conversations and messages, or read back from an <see cref="AgentDailyRollup"/>.
/// </summary>
public sealed class AgentDayStats
{
    public int Assigned { get; set; }
    public int Handled { get; set; }
    public int Replies { get; set; }
    public Durations FirstResponse { get; private set; } = new();
    public Durations Resolution { get; private set; } = new();
    public int CsatCount { get; set; }
    public int CsatSum { get; set; }
    public int CsatSatisfied { get; set; }

    public void Add(AgentDayStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Assigned += other.Assigned;
        Handled += other.Handled;
        Replies += other.Replies;
        FirstResponse.Add(other.FirstResponse);
        Resolution.Add(other.Resolution);
        CsatCount += other.CsatCount;
        CsatSum += other.CsatSum;
        CsatSatisfied += other.CsatSatisfied;
    }

    public static AgentDayStats From(AgentDailyRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return new AgentDayStats
        {
            Assigned = rollup.Assigned,
            Handled = rollup.Handled,
            Replies = rollup.Replies,
            FirstResponse = Durations.From(rollup.FirstResponses, rollup.FirstResponseHistogram),
            Resolution = Durations.From(rollup.Resolved, rollup.ResolutionHistogram),
            CsatCount = rollup.CsatCount,
            CsatSum = rollup.CsatSum,
            CsatSatisfied = rollup.CsatSatisfied,
        };
    }

    public AgentDailyRollup ToRollup(AgentDayKey key, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        Day = key.Day,
        AgentId = key.AgentId,
        Assigned = Assigned,
        Handled = Handled,
        Replies = Replies,
        FirstResponses = FirstResponse.Count,
        Resolved = Resolution.Count,
        FirstResponseHistogram = TimeHistogram.Write(FirstResponse.Histogram),
        ResolutionHistogram = TimeHistogram.Write(Resolution.Histogram),
        CsatCount = CsatCount,
        CsatSum = CsatSum,
        CsatSatisfied = CsatSatisfied,
        ComputedAt = now,
    };
}

/// <summary>Computes <see cref="AgentDayStats"/> live from the conversations opened in [start, end) and their agent replies.</summary>
public sealed class AgentStatsSource(IApplicationDbContext db, IFeedbackDbContext feedback)
{
    public async Task<Dictionary<AgentDayKey, AgentDayStats>> LiveAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        // One pass over the period's conversations (CreatedAt index); the first responder and the rating are correlated
        // look-ups on the (ConversationId, CreatedAt) message index and the unique rating-per-conversation index.
        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end)
            .Select(c => new
            {
                c.CreatedAt, c.AssigneeId, c.FirstRespondedAt, c.ResolvedAt, Merged = c.MergedIntoId != null,
                FirstResponder = db.Messages
                    .Where(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Outbound && m.AuthorKind == AuthorKind.Agent && !m.IsPrivate)
                    .OrderBy(m => m.CreatedAt).Select(m => m.AuthorId).FirstOrDefault(),
                RatedAgent = feedback.CsatRatings.Where(r => r.ConversationId == c.Id).Select(r => r.AgentId).FirstOrDefault(),
                Score = feedback.CsatRatings.Where(r => r.ConversationId == c.Id).Select(r => (int?)r.Score).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        // The period's public agent replies (by the same CreatedAt index on the conversations, then the message index).
        var replies = await (
                from m in db.Messages.AsNoTracking()
                join c in db.Conversations.AsNoTracking() on m.ConversationId equals c.Id
                where c.CreatedAt >= start && c.CreatedAt < end && m.Direction == MessageDirection.Outbound && m.AuthorKind == AuthorKind.Agent && !m.IsPrivate
                select new { c.CreatedAt, m.ConversationId, m.AuthorId })
            .ToListAsync(cancellationToken);

        var stats = new Dictionary<AgentDayKey, AgentDayStats>();
        AgentDayStats For(DateTimeOffset createdAt, Guid agent)
        {
            var key = new AgentDayKey(DateOnly.FromDateTime(createdAt.UtcDateTime), agent);
            if (!stats.TryGetValue(key, out var s))
            {
                stats[key] = s = new AgentDayStats();
            }

            return s;
        }

        foreach (var c in conversations)
        {
            if (c.AssigneeId is { } assignee)
            {
                var s = For(c.CreatedAt, assignee.Value);
                s.Assigned++;
                if (!c.Merged && c.ResolvedAt is { } resolved)
                {
                    s.Resolution.Add((resolved - c.CreatedAt).TotalMinutes);
                }
            }

            if (!c.Merged && c.FirstRespondedAt is { } first && Guid.TryParse(c.FirstResponder, out var responder))
            {
                For(c.CreatedAt, responder).FirstResponse.Add((first - c.CreatedAt).TotalMinutes);
            }

            if (c.RatedAgent is { } rated && c.Score is { } score)
            {
                var s = For(c.CreatedAt, rated.Value);
                s.CsatCount++;
                s.CsatSum += score;
                s.CsatSatisfied += score >= 4 ? 1 : 0;
            }
        }

        var byAuthor = replies
            .Select(r => (r.ConversationId, r.CreatedAt, Author: Guid.TryParse(r.AuthorId, out var author) ? author : Guid.Empty))
            .Where(r => r.Author != Guid.Empty)
            .GroupBy(r => r);
        foreach (var conversation in byAuthor)
        {
            var s = For(conversation.Key.CreatedAt, conversation.Key.Author);
            s.Handled++;
            s.Replies += conversation.Count();
        }

        return stats;
    }
}
