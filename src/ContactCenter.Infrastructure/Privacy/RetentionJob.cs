using ContactCenter.Application.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ContactCenter.Infrastructure.Privacy;

/// <summary>
/// Deletes conversations past their inbox's <c>retentionDays</c> (see <see cref="RetentionSweeper"/>) every
/// `Privacy:RetentionInterval` (default 6 hours; 0 = no schedule). Deleting twice is harmless, so every node may run it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionSweeper sweeper) : IJob
{
    public static readonly JobKey Key = new("retention", "privacy");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
}

public static class RetentionExtensions
{
    public static IHostApplicationBuilder AddRetentionJob(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var interval = builder.Configuration.GetValue("Privacy:RetentionInterval", TimeSpan.FromHours(6));
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably());
            if (interval > TimeSpan.Zero)
            {
                q.AddTrigger(t => t.ForJob(RetentionJob.Key)
                    .WithIdentity("retention", "privacy")
                    .StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                    .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
            }
        });
        return builder;
    }
}
