using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Outbound;

/// <summary>The outbox table of the unit of work (same scoped DbContext as IApplicationDbContext, so one save commits both).</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxItem> Outbox { get; }
}
