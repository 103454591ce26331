using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContactCenter.Infrastructure.Persistence;

// Used by `dotnet ef` only (migrations and the SQL Server script); needs no running server.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteContactCenterDbContext>
{
    public SqliteContactCenterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteContactCenterDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(SqliteDesignTimeFactory).Assembly.FullName))
            .Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerContactCenterDbContext>
{
    public SqlServerContactCenterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerContactCenterDbContext>()
            .UseSqlServer("Server=localhost;Database=ContactCenter;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
