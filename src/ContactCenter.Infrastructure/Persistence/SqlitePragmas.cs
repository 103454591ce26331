using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactCenter.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings. `Database:Sqlite:Synchronous` = Full (default: every commit is on disk
/// before it is acknowledged, surviving power loss) or Normal (WAL: survives a crash of the app, a power
/// loss may lose the last commits; several times more commits per second).
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA synchronous={(string.Equals(synchronous, "Normal", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL")};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
