using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Audit;

public sealed record AuditEntryDto(Guid Id, DateTimeOffset At, string? ActorId, string ActorName, string? Ip, string Action, string? Target, string? Details);

/// <summary>Filters of the audit page and GET /api/v1/audit: action (exact or prefix with a trailing '*'), actor (name or id), time range.</summary>
public sealed record AuditQuery(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Take = 200);

/// <summary>Writes and reads the append-only audit log.</summary>
public sealed class AuditLog(IAuditDbContext db, TimeProvider time)
{
    public const int MaxTake = 5000;

    /// <summary>Appends one entry and commits it (its own save: an audit line must not wait for, or be lost with, other work).</summary>
    public async Task WriteAsync(AuditActor actor, string action, string? target, object? details, CancellationToken cancellationToken)
    {
        db.AuditLog.Add(AuditEntry.Create(actor, action, target, details, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntryDto>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            rows = action.EndsWith('*')
                ? rows.Where(e => e.Action.StartsWith(action.TrimEnd('*')))
                : rows.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            rows = rows.Where(e => e.ActorName == actor || e.ActorId == actor);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(e => e.At < to);
        }

        var take = Math.Clamp(query.Take, 1, MaxTake);
        return await rows.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(take)
            .Select(e => new AuditEntryDto(e.Id, e.At, e.ActorId, e.ActorName, e.Ip, e.Action, e.Target, e.Details))
            .ToListAsync(cancellationToken);
    }

    /// <summary>RFC 4180 CSV (UTF-8); cells that a spreadsheet would run as a formula are prefixed with an apostrophe.</summary>
    public static string ToCsv(IEnumerable<AuditEntryDto> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var csv = new StringBuilder("at,actor_id,actor,ip,action,target,details\r\n");
        foreach (var e in entries)
        {
            csv.Append(Cell(e.At.ToString("O", CultureInfo.InvariantCulture))).Append(',')
                .Append(Cell(e.ActorId)).Append(',')
                .Append(Cell(e.ActorName)).Append(',')
                .Append(Cell(e.Ip)).Append(',')
                .Append(Cell(e.Action)).Append(',')
                .Append(Cell(e.Target)).Append(',')
                .Append(Cell(e.Details)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(string? value) => Reports.Csv.Field(value);
}
