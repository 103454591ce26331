using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Sla;

/// <summary>
/// The SLA tables of the unit of work. Implemented by the same DbContext as <see cref="Abstractions.IApplicationDbContext"/>
/// (one scoped instance), so saving through either saves both.
/// </summary>
public interface ISlaDbContext
{
    DbSet<BusinessHoursCalendar> BusinessHours { get; }
    DbSet<SlaPolicy> SlaPolicies { get; }
    DbSet<SlaEvent> SlaEvents { get; }
}
