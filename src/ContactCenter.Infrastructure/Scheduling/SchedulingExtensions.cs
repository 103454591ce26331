using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ContactCenter.Infrastructure.Scheduling;

/// <summary>
/// The app's one Quartz scheduler (SLA sweep, IMAP poll, knowledge re-import…; features add their jobs with
/// <c>services.AddQuartz</c>). <c>Scheduling:Store</c>: <c>Memory</c> (default: triggers are rebuilt at each
/// start, which is all the jobs need — each is idempotent on its own data) or <c>Database</c>: Quartz's ADO.NET
/// job store in the app's database. On SQL Server it is clustered (one node fires each trigger; a dead node's
/// work is recovered by the others); on SQLite it persists but is not clustered (Quartz's SQLite store locks
/// within one process), so several nodes on one SQLite file rely on the jobs' own exactly-once keys.
/// </summary>
public static class SchedulingExtensions
{
    public const string Section = "Scheduling";

    internal static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder, string provider, string? connectionString)
    {
        var store = builder.Configuration[$"{Section}:Store"] ?? "Memory";
        var persistent = string.Equals(store, "Database", StringComparison.OrdinalIgnoreCase);
        if (!persistent && !string.Equals(store, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Unknown {Section}:Store '{store}'. Use Memory or Database.");
        }

        var sqlServer = string.Equals(provider, "SqlServer", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddQuartz(q =>
        {
            if (!persistent)
            {
                return;
            }

            // One scheduler name for the cluster; every node its own id (AUTO = host name + a time stamp).
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "ContactCenter";
                o.InstanceId = "AUTO";
            });
            q.UsePersistentStore(s =>
            {
                s.UseSystemTextJsonSerializer();
                s.ConfigureStore(o => o.StoreJobDataAsStrings = true);
                if (sqlServer)
                {
                    s.UseSqlServer(connectionString!);
                    s.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(10);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(30);
                    });
                }
                else
                {
                    s.UseSqlite(SqliteFactory.Instance, connectionString!);
                }

                // Creates Quartz's QRTZ_* tables when missing (never alters existing ones). A production account
                // without DDL rights: run Quartz's create script once and this only validates.
                s.ProvisionSchema();
            });
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
