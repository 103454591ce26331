using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Application.Common;

/// <summary>Wakes a <see cref="QueuePump"/> when work was committed, instead of waiting for its next poll.</summary>
public class QueueSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pass picks up everything that is due.
        }
    }

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// The loop of a durable queue (reply outbox, outbound webhooks): runs passes while they come back full, then waits for a
/// signal or the poll interval; a failed pass is logged and the items stay due for the next one.
/// </summary>
public abstract partial class QueuePump(QueueSignal signal, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan PollInterval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>One pass: claims the due items and handles each. Returns how many were claimed.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await RunOnceAsync(stoppingToken) >= BatchSize)
                    {
                        // A full batch: there may be more due right now.
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // the pump must outlive a failed pass (e.g. the database briefly locked); the items stay due
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogPassFailed(logger, ex, GetType().Name);
                }

                await signal.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Queue} pass failed; due items stay due")]
    private static partial void LogPassFailed(ILogger logger, Exception ex, string queue);
}
