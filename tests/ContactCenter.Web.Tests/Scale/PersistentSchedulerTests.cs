using ContactCenter.Testing;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>`Scheduling:Store=Database`: Quartz's ADO.NET job store in the app's own database (provisioned at start).</summary>
public sealed class PersistentSchedulerTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Scheduling:Store"] = "Database",
        ["Sla:SweepInterval"] = "00:00:01",
    };

    [Fact]
    public async Task DatabaseStore_TablesProvisionedJobsStoredAndTheSlaSweepFiresFromTheStore()
    {
        using var host = new ContactCenterHost(Settings);
        _ = host.BaseAddress;
        var connectionString = $"Data Source={Path.Combine(host.DataDirectory, "contactcenter.db")}";

        var jobs = await QueryAsync(connectionString, "SELECT JOB_NAME FROM QRTZ_JOB_DETAILS");
        Assert.Contains(jobs, j => j.Contains("sla", StringComparison.OrdinalIgnoreCase));

        // The trigger's previous fire time is written by the store: the sweep really ran from it.
        await Waits.UntilAsync(
            async () => (await QueryAsync(connectionString, "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'sla-sweep'")).Any(t => long.TryParse(t, out var at) && at > 0),
            "the SLA sweep trigger to fire from the database store");
    }

    [Fact]
    public async Task DatabaseStore_Restart_JobsAlreadyStored_StartsAndFiresAgain()
    {
        long fired;
        var data = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var connectionString = $"Data Source={Path.Combine(data, "contactcenter.db")}";
        const string LastFire = "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'sla-sweep'";
        try
        {
            using (var first = new ContactCenterHost(Settings, sharedDataDirectory: data))
            {
                _ = first.BaseAddress;
                await Waits.UntilAsync(async () => (await QueryAsync(connectionString, LastFire)).Any(t => long.TryParse(t, out var at) && at > 0), "the first run's sweep");
                fired = long.Parse((await QueryAsync(connectionString, LastFire)).Single(), System.Globalization.CultureInfo.InvariantCulture);
            }

            // The jobs and triggers are already in the store: a restart replaces them instead of failing, and the sweep runs on.
            using var second = new ContactCenterHost(Settings, sharedDataDirectory: data);
            _ = second.BaseAddress;
            await Waits.UntilAsync(
                async () => (await QueryAsync(connectionString, LastFire)).Any(t => long.TryParse(t, out var at) && at > fired),
                "the sweep to fire again after the restart");
            Assert.Single(await QueryAsync(connectionString, "SELECT JOB_NAME FROM QRTZ_JOB_DETAILS WHERE JOB_NAME LIKE '%sla%'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
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
