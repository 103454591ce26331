using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Queries;

public enum InboxView
{
    Mine = 0,
    Unassigned = 1,
    MyTeams = 2,
    All = 3,

    /// <summary>Conversations where a colleague @mentioned this agent in a private note.</summary>
    Mentions = 4,
}

/// <summary>
/// What an inbox list shows: a view, then optional filters. Search matches the number, subject, contact name
/// and the text of any message in the conversation (see ADR 014).
/// </summary>
public sealed record InboxFilter(
    InboxView View,
    ConversationStatus? Status = null,
    string? Search = null,
    int Take = 200,
    ChannelKind? Channel = null,
    Priority? Priority = null,
    string? Tag = null,
    Guid? TeamId = null,
    Sla.SlaState? Sla = null);

/// <summary>Where a page of the inbox list continues: the last row the caller holds, in the list's order.</summary>
public sealed record InboxCursor(Priority Priority, DateTimeOffset LastMessageAt, long Number)
{
    public static InboxCursor Of(ConversationSummaryDto row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new InboxCursor(row.Priority, row.LastMessageAt, row.Number);
    }
}

/// <summary>A page of the inbox list: after a keyset cursor when the caller has the row before, else after skipping rows.</summary>
public sealed record InboxPageRequest(InboxCursor? After, int Skip, int Take)
{
    public const int MaxTake = 500;
}

/// <summary>A page of the inbox list and how many rows the view (with its filters and search) holds in all.</summary>
public sealed record InboxPage(IReadOnlyList<ConversationSummaryDto> Items, int Total);

public sealed record ConversationDetail(ConversationSummaryDto Summary, ContactCardDto Contact, IReadOnlyList<MessageDto> Messages, IReadOnlyList<TimelineEntryDto> Timeline)
{
    /// <summary>WhatsApp/Messenger: when free-form replies stop being allowed (see <see cref="ReplyWindow"/>); null elsewhere.</summary>
    public DateTimeOffset? ReplyWindowClosesAt => ReplyWindow.ClosesAt(Summary.Channel, Messages);
}

public sealed record ContactCardDto(Guid Id, string Name, string? Email, string? Phone, IReadOnlyList<string> Identities);

public sealed record TimelineEntryDto(TimelineKind Kind, string ActorName, string? From, string? To, DateTimeOffset OccurredAt);

/// <summary>Filters of the REST API's conversation list (all optional); <c>Cursor</c> and <c>Limit</c> page it.</summary>
public sealed record ConversationPageFilter(
    InboxView View = InboxView.All,
    ConversationStatus? Status = null,
    Guid? TeamId = null,
    Guid? AssigneeId = null,
    Guid? ContactId = null,
    ChannelKind? Channel = null,
    string? Cursor = null,
    int? Limit = null);

public sealed record InboxCounts(int Mine, int Unassigned, int MyTeams, int All, int Mentions = 0);

/// <summary>What the console and the hubs read: lists, details, counts — already filtered to what the staff member may see.</summary>
public sealed class ConversationQueries(IApplicationDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyList<ConversationSummaryDto>> ListAsync(StaffMember staff, InboxFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filtered(staff, filter);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tagged = await TaggedAsync(query, filter.Tag, cancellationToken);
            return await SummariesAsync(tagged.Take(Math.Clamp(filter.Take, 1, 1000)).ToList(), cancellationToken);
        }

        var page = await InboxOrder(query).Take(Math.Clamp(filter.Take, 1, 1000)).ToListAsync(cancellationToken);
        return await SummariesAsync(page, cancellationToken);
    }

    /// <summary>
    /// One page of the inbox list for a virtualised view, in the list's order (priority, then last activity, newest first,
    /// then number): after a keyset <see cref="InboxPageRequest.After"/> (the last row the caller holds — stable when rows
    /// move meanwhile) or, to jump into the middle, after <see cref="InboxPageRequest.Skip"/> rows. With the total for the view.
    /// </summary>
    public async Task<InboxPage> PageInboxAsync(StaffMember staff, InboxFilter filter, InboxPageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(request);
        var take = Math.Clamp(request.Take, 1, InboxPageRequest.MaxTake);
        var query = Filtered(staff, filter);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            // Tags live in one JSON column: the tagged set is narrowed in memory (bounded), then paged the same way.
            var tagged = await TaggedAsync(query, filter.Tag, cancellationToken);
            IEnumerable<Conversation> rest = tagged;
            if (request.After is { } key)
            {
                rest = rest.Where(c => After(c, key));
            }
            else if (request.Skip > 0)
            {
                rest = rest.Skip(request.Skip);
            }

            return new InboxPage(await SummariesAsync(rest.Take(take).ToList(), cancellationToken), tagged.Count);
        }

        var total = await query.CountAsync(cancellationToken);
        if (request.After is { } after)
        {
            var priority = after.Priority;
            var at = after.LastMessageAt;
            var number = after.Number;
            query = query.Where(c => c.Priority < priority
                || (c.Priority == priority && (c.LastMessageAt < at || (c.LastMessageAt == at && c.Number < number))));
        }

        var ordered = InboxOrder(query);
        if (request.After is null && request.Skip > 0)
        {
            ordered = ordered.Skip(request.Skip);
        }

        var rows = await ordered.Take(take).ToListAsync(cancellationToken);
        return new InboxPage(await SummariesAsync(rows, cancellationToken), total);
    }

    private static IQueryable<Conversation> InboxOrder(IQueryable<Conversation> query) =>
        query.OrderByDescending(c => c.Priority).ThenByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Number);

    private static bool After(Conversation c, InboxCursor key) =>
        c.Priority < key.Priority || (c.Priority == key.Priority && (c.LastMessageAt < key.LastMessageAt || (c.LastMessageAt == key.LastMessageAt && c.Number < key.Number)));

    private static async Task<IReadOnlyList<Conversation>> TaggedAsync(IQueryable<Conversation> query, string tagText, CancellationToken cancellationToken)
    {
        var tag = tagText.Trim();
        return (await InboxOrder(query).Take(5000).ToListAsync(cancellationToken))
            .Where(c => c.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>The view, status (open work unless one is asked), filters and search of an inbox list, unordered.</summary>
    private IQueryable<Conversation> Filtered(StaffMember staff, InboxFilter filter)
    {
        var query = Visible(staff, filter.View);
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        else
        {
            query = query.Where(c => c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Resolved);
        }

        query = ApplyFilters(query, filter);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            if (long.TryParse(term.TrimStart('#'), out var number))
            {
                query = query.Where(c => c.Number == number);
            }
            else
            {
                var like = $"%{EscapeLike(term)}%";
                query = query.Where(c => EF.Functions.Like(c.Subject, like, "\\")
                    || db.Contacts.Any(p => p.Id == c.ContactId && EF.Functions.Like(p.Name, like, "\\"))
                    || db.Messages.Any(m => m.ConversationId == c.Id && EF.Functions.Like(m.Text, like, "\\")));
            }
        }

        return query;
    }

    /// <summary>
    /// The REST API's list: every status unless filtered, newest first by creation, keyset-paged
    /// (see <see cref="Api.KeysetCursor"/>), only what the staff member may see.
    /// </summary>
    public async Task<Result<Api.Page<ConversationSummaryDto>>> PageAsync(StaffMember staff, ConversationPageFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(filter);
        var cursor = Api.KeysetCursor.Decode(filter.Cursor);
        if (!cursor.IsSuccess)
        {
            return cursor.Error!;
        }

        var query = Visible(staff, filter.View);
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (filter.TeamId is { } team)
        {
            var teamId = (TeamId?)new TeamId(team);
            query = query.Where(c => c.TeamId == teamId);
        }

        if (filter.AssigneeId is { } assignee)
        {
            var agentId = (AgentId?)new AgentId(assignee);
            query = query.Where(c => c.AssigneeId == agentId);
        }

        if (filter.ContactId is { } contact)
        {
            var contactId = new ContactId(contact);
            query = query.Where(c => c.ContactId == contactId);
        }

        if (filter.Channel is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }

        if (cursor.Value is { } after)
        {
            var at = after.At;
            var seen = after.SeenAtTicks.Select(g => new ConversationId(g)).ToList();
            query = query.Where(c => c.CreatedAt < at || (c.CreatedAt == at && !seen.Contains(c.Id)));
        }

        var limit = Api.KeysetCursor.Limit(filter.Limit);
        var rows = await query.OrderByDescending(c => c.CreatedAt).Take(limit + 1).ToListAsync(cancellationToken);
        var summaries = await SummariesAsync(rows.Take(limit).ToList(), cancellationToken);
        return Api.KeysetCursor.PageOf(rows, limit, c => c.CreatedAt, c => c.Id.Value, cursor.Value, _ => summaries);
    }

    /// <summary>A conversation's messages (with those merged into it), oldest first, keyset-paged; null when not visible.</summary>
    public async Task<Result<Api.Page<MessageDto>>?> MessagePageAsync(StaffMember staff, ConversationId id, string? cursorText, int? limitAsked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return null;
        }

        var cursor = Api.KeysetCursor.Decode(cursorText);
        if (!cursor.IsSuccess)
        {
            return Result<Api.Page<MessageDto>>.Failure(cursor.Error!);
        }

        var merged = await db.Conversations.AsNoTracking().Where(c => c.MergedIntoId == id).Select(c => c.Id).ToListAsync(cancellationToken);
        merged.Add(id);
        var query = db.Messages.AsNoTracking().Where(m => merged.Contains(m.ConversationId));
        if (cursor.Value is { } after)
        {
            var at = after.At;
            var seen = after.SeenAtTicks.Select(g => new MessageId(g)).ToList();
            query = query.Where(m => m.CreatedAt > at || (m.CreatedAt == at && !seen.Contains(m.Id)));
        }

        var limit = Api.KeysetCursor.Limit(limitAsked);
        var rows = await query.OrderBy(m => m.CreatedAt).Take(limit + 1).ToListAsync(cancellationToken);
        return Api.KeysetCursor.PageOf(rows, limit, m => m.CreatedAt, m => m.Id.Value, cursor.Value, page => page.Select(MessageDto.From).ToList());
    }

    public async Task<InboxCounts> CountsAsync(StaffMember staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        async Task<int> Count(InboxView view) => await Visible(staff, view)
            .CountAsync(c => c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Resolved, cancellationToken);
        return new InboxCounts(await Count(InboxView.Mine), await Count(InboxView.Unassigned), await Count(InboxView.MyTeams), await Count(InboxView.All),
            await Count(InboxView.Mentions));
    }

    private IQueryable<Conversation> ApplyFilters(IQueryable<Conversation> query, InboxFilter filter)
    {
        if (filter.Channel is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }

        if (filter.Priority is { } priority)
        {
            query = query.Where(c => c.Priority == priority);
        }

        if (filter.TeamId is { } teamGuid)
        {
            var team = (TeamId?)new TeamId(teamGuid);
            query = query.Where(c => c.TeamId == team);
        }

        var now = time.GetUtcNow();
        return filter.Sla switch
        {
            Sla.SlaState.Paused => query.Where(c => c.SlaPausedAt != null),
            Sla.SlaState.Breached => query.Where(c => c.SlaPausedAt == null
                && (c.FirstResponseDueAt <= now || c.NextResponseDueAt <= now || c.ResolutionDueAt <= now)),
            Sla.SlaState.AtRisk => query.Where(c => c.SlaPausedAt == null
                && (c.FirstResponseWarnAt <= now || c.NextResponseWarnAt <= now || c.ResolutionWarnAt <= now)
                && !(c.FirstResponseDueAt <= now || c.NextResponseDueAt <= now || c.ResolutionDueAt <= now)),
            Sla.SlaState.OnTrack => query.Where(c => c.SlaPausedAt == null
                && !(c.FirstResponseWarnAt <= now || c.NextResponseWarnAt <= now || c.ResolutionWarnAt <= now)),
            _ => query,
        };
    }

    /// <summary>"@Display Name" as written by the mention autocomplete, for LIKE (wildcards escaped).</summary>
    public static string MentionToken(string displayName) => "@" + (displayName ?? "").Trim();

    private static string EscapeLike(string term) => term.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private IQueryable<Conversation> Visible(StaffMember staff, InboxView view)
    {
        var teams = staff.TeamIds.Select(t => (TeamId?)t).ToList();
        var mine = (AgentId?)staff.AgentId;
        var query = db.Conversations.AsNoTracking().Where(c => c.MergedIntoId == null);
        if (!staff.IsSupervisor)
        {
            query = query.Where(c => c.AssigneeId == mine || c.TeamId == null || teams.Contains(c.TeamId));
        }

        return view switch
        {
            InboxView.Mine => query.Where(c => c.AssigneeId == mine),
            InboxView.Unassigned => query.Where(c => c.AssigneeId == null),
            InboxView.MyTeams => query.Where(c => teams.Contains(c.TeamId)),
            InboxView.Mentions => WhereMentioned(query, staff),
            _ => query,
        };
    }

    private IQueryable<Conversation> WhereMentioned(IQueryable<Conversation> query, StaffMember staff)
    {
        var like = $"%{EscapeLike(MentionToken(staff.DisplayName))}%";
        var me = staff.AgentId.Value.ToString();
        return query.Where(c => db.Messages.Any(m => m.ConversationId == c.Id && m.IsPrivate && m.AuthorId != me
            && EF.Functions.Like(m.Text, like, "\\")));
    }

    public async Task<ConversationSummaryDto?> SummaryAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return conversation is null ? null : (await SummariesAsync([conversation], cancellationToken))[0];
    }

    /// <summary>
    /// <see cref="SummaryAsync"/> of a conversation this request has just saved: its contact, tracked by the save and
    /// unchanged since, gives the name without a query (a short-lived request scope only: a long-lived scope's tracked
    /// contact could be stale).
    /// </summary>
    public async Task<ConversationSummaryDto?> SavedSummaryAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return null;
        }

        var tracked = db.Contacts.Local.FindEntry(conversation.ContactId);
        return tracked is { State: EntityState.Unchanged, Entity: { } contact }
            ? (await SummariesAsync([conversation], cancellationToken, new Dictionary<ContactId, string> { [contact.Id] = contact.Name }))[0]
            : (await SummariesAsync([conversation], cancellationToken))[0];
    }

    public async Task<ConversationDetail?> DetailAsync(StaffMember staff, ConversationId id, int messageCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return null;
        }

        var summary = (await SummariesAsync([conversation], cancellationToken))[0];
        var contact = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
        var messages = await MessagesAsync(id, before: null, messageCount, cancellationToken);
        var timeline = await db.Timeline.AsNoTracking()
            .Where(t => t.ConversationId == id)
            .OrderBy(t => t.OccurredAt)
            .Select(t => new TimelineEntryDto(t.Kind, t.ActorName, t.From, t.To, t.OccurredAt))
            .ToListAsync(cancellationToken);
        return new ConversationDetail(
            summary,
            new ContactCardDto(contact.Id.Value, contact.Name, contact.Email, contact.Phone, contact.Identities.Select(i => $"{i.Kind}: {i.Value}").ToList()),
            messages,
            timeline);
    }

    /// <summary>
    /// The newest <paramref name="take"/> messages before a point, oldest first — including those of the
    /// conversations merged into this one, so the timeline reads as one thread.
    /// </summary>
    public async Task<IReadOnlyList<MessageDto>> MessagesAsync(ConversationId id, DateTimeOffset? before, int take, CancellationToken cancellationToken)
    {
        var merged = await db.Conversations.AsNoTracking().Where(c => c.MergedIntoId == id).Select(c => c.Id).ToListAsync(cancellationToken);
        merged.Add(id);
        var query = db.Messages.AsNoTracking().Where(m => merged.Contains(m.ConversationId));
        if (before is { } b)
        {
            query = query.Where(m => m.CreatedAt < b);
        }

        var page = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        page.Reverse();
        return page.Select(MessageDto.From).ToList();
    }

    /// <summary>
    /// "Load earlier messages": the newest <paramref name="take"/> messages older than the oldest one the caller holds
    /// (<paramref name="before"/>; <paramref name="seenAtBefore"/> are the ids it holds at that very instant, so ties are
    /// neither repeated nor lost), oldest first, merged threads included. Null when the conversation is not visible.
    /// </summary>
    public async Task<IReadOnlyList<MessageDto>?> EarlierMessagesAsync(StaffMember staff, ConversationId id, DateTimeOffset before,
        IReadOnlyCollection<Guid> seenAtBefore, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(seenAtBefore);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null || !staff.CanView(conversation))
        {
            return null;
        }

        var merged = await db.Conversations.AsNoTracking().Where(c => c.MergedIntoId == id).Select(c => c.Id).ToListAsync(cancellationToken);
        merged.Add(id);
        var seen = seenAtBefore.Select(g => new MessageId(g)).ToList();
        var page = await db.Messages.AsNoTracking()
            .Where(m => merged.Contains(m.ConversationId) && (m.CreatedAt < before || (m.CreatedAt == before && !seen.Contains(m.Id))))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(Math.Clamp(take, 1, 1000))
            .ToListAsync(cancellationToken);
        page.Reverse();
        return page.Select(MessageDto.From).ToList();
    }

    /// <summary>
    /// The same contact's other conversations this one could be merged into (or take in): not merged, not closed,
    /// visible to the staff member; newest activity first. Empty when the conversation is not visible.
    /// </summary>
    public async Task<IReadOnlyList<ConversationSummaryDto>> MergeCandidatesAsync(StaffMember staff, ConversationId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null || !staff.CanView(conversation) || conversation.MergedIntoId is not null)
        {
            return [];
        }

        var contactId = conversation.ContactId;
        var others = await Visible(staff, InboxView.All)
            .Where(c => c.ContactId == contactId && c.Id != id && c.Status != ConversationStatus.Closed)
            .OrderByDescending(c => c.LastMessageAt)
            .Take(50)
            .ToListAsync(cancellationToken);
        return others.Count == 0 ? [] : await SummariesAsync(others, cancellationToken);
    }

    public async Task<MessageDto?> MessageAsync(MessageId id, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return message is null ? null : MessageDto.From(message);
    }

    private async Task<IReadOnlyList<ConversationSummaryDto>> SummariesAsync(IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken,
        Dictionary<ContactId, string>? knownContacts = null)
    {
        var contactIds = conversations.Select(c => c.ContactId).Distinct().ToList();
        var assigneeIds = conversations.Where(c => c.AssigneeId != null).Select(c => c.AssigneeId).Distinct().ToList();
        var contacts = knownContacts is not null && contactIds.All(knownContacts.ContainsKey)
            ? knownContacts
            : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
                .Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var agents = assigneeIds.Count == 0
            ? []
            : await db.Agents.AsNoTracking().Where(a => assigneeIds.Contains(a.Id))
                .Select(a => new { a.Id, a.DisplayName }).ToDictionaryAsync(a => a.Id, a => a.DisplayName, cancellationToken);
        return conversations.Select(c => new ConversationSummaryDto(
            c.Id.Value, c.Number, c.Channel, c.InboxId.Value, c.ContactId.Value,
            contacts.GetValueOrDefault(c.ContactId, "?"),
            c.Subject, c.Status, c.CustomStatusKey, c.Priority, c.TeamId?.Value, c.AssigneeId?.Value,
            c.AssigneeId is { } a ? agents.GetValueOrDefault(a) : null,
            c.LastMessagePreview, c.LastMessageAt, c.WaitingSince, c.CreatedAt, c.UpdatedAt, c.Tags, c.Version, Sla.SlaStatusDto.From(c),
            c.CustomerEmotion, c.CustomerEmotionScore, c.EscalationLevel)).ToList();
    }
}
