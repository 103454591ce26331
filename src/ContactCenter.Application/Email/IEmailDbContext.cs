using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Email;

/// <summary>The email channel's tables in the unit of work (same scoped DbContext as IApplicationDbContext).</summary>
public interface IEmailDbContext
{
    DbSet<EmailQuarantineItem> EmailQuarantine { get; }
    DbSet<ImapCursor> ImapCursors { get; }
}
