using ContactCenter.Testing;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>`Scheduling:Store=Database`: Quartz's ADO.NET job store in the app's own database (provisioned at start).</summary>
public sealed class PersistentSchedulerTests
{
    [Fact]
    public async Task DatabaseStore_TablesProvisionedJobsStoredAndTheSlaSweepFiresFromTheStore()
    {
        using var host = new ContactCenterHost(new Dictionary<string, string?>
        {
            ["Scheduling:Store"] = "Database",
            ["Sla:SweepInterval"] = "00:00:01",
        });
        _ = host.BaseAddress;
        var connectionString = $"Data Source={Path.Combine(host.DataDirectory, "contactcenter.db")}";

        var jobs = await QueryAsync(connectionString, "SELECT JOB_NAME FROM QRTZ_JOB_DETAILS");
        Assert.Contains(jobs, j => j.Contains("sla", StringComparison.OrdinalIgnoreCase));

        // The trigger's previous fire time is written by the store: the sweep really ran from it.
        await Waits.UntilAsync(
            async () => (await QueryAsync(connectionString, "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'sla-sweep'")).Any(t => long.TryParse(t, out var at) && at > 0),
            "the SLA sweep trigger to fire from the database store");
    }

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
