using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Replies;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Replies;

/// <summary>The canned-response table of the unit of work (same scoped DbContext as IApplicationDbContext).</summary>
public interface ICannedResponseDbContext
{
    DbSet<CannedResponse> CannedResponses { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

public sealed record CannedResponseDto(Guid Id, string Shortcut, string Title, string Text, Guid? TeamId, DateTimeOffset UpdatedAt)
{
    public static CannedResponseDto From(CannedResponse r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.Shortcut, r.Title, r.Text, r.TeamId?.Value, r.UpdatedAt);
    }
}

public sealed record SaveCannedResponse(string Shortcut, string Title, string Text, Guid? TeamId);

/// <summary>Canned responses: every agent reads those for everyone and for their teams; supervisors and admins manage them.</summary>
public sealed class CannedResponseService(ICannedResponseDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyList<CannedResponseDto>> ListAsync(StaffMember staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var query = db.CannedResponses.AsNoTracking();
        if (!staff.IsSupervisor)
        {
            var teams = staff.TeamIds.Select(t => (TeamId?)t).ToList();
            query = query.Where(r => r.TeamId == null || teams.Contains(r.TeamId));
        }

        var list = await query.ToListAsync(cancellationToken);
        return list.OrderBy(r => r.Shortcut, StringComparer.Ordinal).Select(CannedResponseDto.From).ToList();
    }

    public async Task<Result<CannedResponseDto>> CreateAsync(StaffMember staff, SaveCannedResponse command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (!staff.IsSupervisor)
        {
            return Error.Forbidden("Only supervisors and admins manage canned responses.");
        }

        var created = CannedResponse.Create(command.Shortcut, command.Title, command.Text, ToTeam(command.TeamId), time.GetUtcNow());
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        if (await db.CannedResponses.AnyAsync(r => r.Shortcut == created.Value.Shortcut, cancellationToken))
        {
            return Error.Conflict("canned.shortcut_taken", $"The shortcut /{created.Value.Shortcut} is already used.");
        }

        db.CannedResponses.Add(created.Value);
        await db.SaveChangesAsync(cancellationToken);
        return CannedResponseDto.From(created.Value);
    }

    public async Task<Result<CannedResponseDto>> UpdateAsync(StaffMember staff, Guid id, SaveCannedResponse command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (!staff.IsSupervisor)
        {
            return Error.Forbidden("Only supervisors and admins manage canned responses.");
        }

        var existing = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (existing is null)
        {
            return Error.NotFound("The canned response");
        }

        var changed = existing.Change(command.Shortcut, command.Title, command.Text, ToTeam(command.TeamId), time.GetUtcNow());
        if (!changed.IsSuccess)
        {
            return changed.Error!;
        }

        if (await db.CannedResponses.AnyAsync(r => r.Id != id && r.Shortcut == existing.Shortcut, cancellationToken))
        {
            return Error.Conflict("canned.shortcut_taken", $"The shortcut /{existing.Shortcut} is already used.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return CannedResponseDto.From(existing);
    }

    public async Task<Result> DeleteAsync(StaffMember staff, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (!staff.IsSupervisor)
        {
            return Error.Forbidden("Only supervisors and admins manage canned responses.");
        }

        var existing = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (existing is null)
        {
            return Error.NotFound("The canned response");
        }

        db.CannedResponses.Remove(existing);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    private static TeamId? ToTeam(Guid? id) => id is { } value ? new TeamId(value) : null;
}
