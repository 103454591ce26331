using ContactCenter.Application.Sla;
using Quartz;

namespace ContactCenter.Infrastructure.Sla;

/// <summary>
/// Runs the SLA sweep on this node (every `Sla:SweepInterval`). Every node runs it; exactly-once comes from the database
/// (a unique SLA event per conversation, metric and kind), not from the scheduler, so the in-memory Quartz store suffices.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SlaSweepJob(SlaSweeper sweeper) : IJob
{
    public static readonly JobKey Key = new("sla-sweep", "sla");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
}
