using System.Data.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactCenter.Testing;

/// <summary>
/// Fills a SQLite database with many conversations fast (tens of thousands a second): each is a copy of one
/// conversation saved normally, with its own id, number, last activity and priority, inserted by one prepared
/// statement in one transaction. For list and paging tests, not for anything that reads messages or timelines.
/// </summary>
public static class BulkConversations
{
    public sealed record Row(Guid Id, long Number, DateTimeOffset LastMessageAt, Priority Priority, string Subject);

    public static async Task InsertCopiesAsync(DbContext db, long templateNumber, IEnumerable<Row> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var columns = new List<string>();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "SELECT name FROM pragma_table_info('Conversations')";
            await using var reader = await pragma.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(reader.GetString(0));
            }
        }

        var replaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Id"] = "$id", ["Number"] = "$number", ["LastMessageAt"] = "$at", ["Priority"] = "$priority", ["Subject"] = "$subject",
        };
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        var select = string.Join(", ", columns.Select(c => replaced.GetValueOrDefault(c, $"\"{c}\"")));
        var toBinary = new DateTimeOffsetToBinaryConverter();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"Conversations\" ({list}) SELECT {select} FROM \"Conversations\" WHERE \"Number\" = $template";
        DbParameter Add(string name)
        {
            var p = insert.CreateParameter();
            p.ParameterName = name;
            insert.Parameters.Add(p);
            return p;
        }

        var id = Add("$id");
        var number = Add("$number");
        var at = Add("$at");
        var priority = Add("$priority");
        var subject = Add("$subject");
        Add("$template").Value = templateNumber;
        await insert.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            id.Value = row.Id.ToString().ToUpperInvariant();
            number.Value = row.Number;
            at.Value = toBinary.ConvertToProvider(row.LastMessageAt);
            priority.Value = (int)row.Priority;
            subject.Value = row.Subject;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
