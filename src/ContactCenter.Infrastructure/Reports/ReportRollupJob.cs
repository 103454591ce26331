using ContactCenter.Application.Reports;
using Quartz;

namespace ContactCenter.Infrastructure.Reports;

/// <summary>The nightly report roll-up (`Reports:RollupCron`), also run once at start so a new or idle node catches up.</summary>
[DisallowConcurrentExecution]
public sealed class ReportRollupJob(ReportRollupService rollups) : IJob
{
    public static readonly JobKey Key = new("report-rollup", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await rollups.RollUpAsync(cancellationToken).ConfigureAwait(false);
}
