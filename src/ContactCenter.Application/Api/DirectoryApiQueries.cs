using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Api;

public sealed record ContactDto(Guid Id, string Name, string? Email, string? Phone, string? Locale, IReadOnlyList<string> Identities, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TeamDto(Guid Id, string Name, string Description, string Strategy);

public sealed record AgentDto(Guid Id, string DisplayName, string Email, StaffRole Role, Presence Presence, bool IsActive, IReadOnlyList<Guid> TeamIds);

/// <summary>Contacts, teams and agents for the REST API: filtered to what the caller may see, keyset- or name-paged.</summary>
public sealed class DirectoryApiQueries(IApplicationDbContext db)
{
    /// <summary>Agents see the contacts of conversations they may see; supervisors and admins see all. Newest first.</summary>
    public async Task<Result<Page<ContactDto>>> ContactsAsync(StaffMember staff, string? search, string? cursorText, int? limitAsked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var cursor = KeysetCursor.Decode(cursorText);
        if (!cursor.IsSuccess)
        {
            return cursor.Error!;
        }

        var query = VisibleContacts(staff).Where(c => c.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var like = $"%{search.Trim()}%";
            query = query.Where(c => EF.Functions.Like(c.Name, like) || EF.Functions.Like(c.Email!, like) || EF.Functions.Like(c.Phone!, like));
        }

        if (cursor.Value is { } after)
        {
            var at = after.At;
            var seen = after.SeenAtTicks.Select(g => new ContactId(g)).ToList();
            query = query.Where(c => c.CreatedAt < at || (c.CreatedAt == at && !seen.Contains(c.Id)));
        }

        var limit = KeysetCursor.Limit(limitAsked);
        var rows = await query.OrderByDescending(c => c.CreatedAt).Take(limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.PageOf(rows, limit, c => c.CreatedAt, c => c.Id.Value, cursor.Value, page => page.Select(ToDto).ToList());
    }

    /// <summary>One contact, or null when it does not exist or the caller may not see it (the same answer: no probing).</summary>
    public async Task<ContactDto?> ContactAsync(StaffMember staff, ContactId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var contact = await VisibleContacts(staff).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return contact is null ? null : ToDto(contact);
    }

    public async Task<Result<Page<TeamDto>>> TeamsAsync(string? cursorText, int? limitAsked, CancellationToken cancellationToken)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return OffsetPage(teams.Select(t => new TeamDto(t.Id.Value, t.Name, t.Description, t.Strategy.ToString())).ToList(), cursorText, limitAsked);
    }

    public async Task<Result<Page<AgentDto>>> AgentsAsync(Guid? teamId, string? cursorText, int? limitAsked, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.DisplayName).ToListAsync(cancellationToken);
        var rows = agents
            .Where(a => teamId is null || a.TeamIds.Any(t => t.Value == teamId))
            .Select(a => new AgentDto(a.Id.Value, a.DisplayName, a.Email, a.Role, a.Presence, a.IsActive, a.TeamIds.Select(t => t.Value).ToList()))
            .ToList();
        return OffsetPage(rows, cursorText, limitAsked);
    }

    /// <summary>Small, name-ordered lists (teams, agents, articles): the cursor wraps a position.</summary>
    public static Result<Page<T>> OffsetPage<T>(IReadOnlyList<T> all, string? cursorText, int? limitAsked)
    {
        ArgumentNullException.ThrowIfNull(all);
        var cursor = KeysetCursor.Decode(cursorText);
        if (!cursor.IsSuccess)
        {
            return cursor.Error!;
        }

        var offset = (int)Math.Clamp(cursor.Value?.Ticks ?? 0, 0, int.MaxValue);
        var limit = KeysetCursor.Limit(limitAsked);
        var items = all.Skip(offset).Take(limit).ToList();
        var next = offset + limit < all.Count ? new KeysetCursor(offset + limit, []).Encode() : null;
        return new Page<T>(items, next);
    }

    private IQueryable<Contact> VisibleContacts(StaffMember staff)
    {
        var query = db.Contacts.AsNoTracking();
        if (staff.IsSupervisor)
        {
            return query;
        }

        var teams = staff.TeamIds.Select(t => (TeamId?)t).ToList();
        var mine = (AgentId?)staff.AgentId;
        return query.Where(p => db.Conversations.Any(c => c.ContactId == p.Id && (c.AssigneeId == mine || c.TeamId == null || teams.Contains(c.TeamId))));
    }

    private static ContactDto ToDto(Contact c) =>
        new(c.Id.Value, c.Name, c.Email, c.Phone, c.Locale, c.Identities.Select(i => $"{i.Kind}: {i.Value}").ToList(), c.CreatedAt, c.UpdatedAt);
}
