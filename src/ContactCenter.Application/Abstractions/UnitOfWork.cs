using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Abstractions;

public static class UnitOfWork
{
    /// <summary>
    /// Saves; a concurrent change of the same rows (optimistic concurrency) becomes an expected
    /// "reload and try again" failure instead of an exception, and the unit of work is reset.
    /// </summary>
    public static async Task<Result> SaveOrConflictAsync(this IApplicationDbContext db, CancellationToken cancellationToken, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardChanges();
            return Error.Conflict("conversation.changed", message ?? "Someone else changed this conversation; reload and try again.");
        }
    }
}
