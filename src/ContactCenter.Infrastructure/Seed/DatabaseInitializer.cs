using ContactCenter.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Infrastructure.Seed;

/// <summary>Brings the database to the current schema on start (always for SQLite; SQL Server when Database:MigrateOnStart) and seeds.</summary>
public sealed partial class DatabaseInitializer(ContactCenterDbContext db, DemoSeeder seeder, IConfiguration config, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        else if (config.GetValue("Database:MigrateOnStart", false))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        LogReady(logger, db.Database.ProviderName ?? "?");
        await seeder.SeedAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider})")]
    private static partial void LogReady(ILogger logger, string provider);
}
