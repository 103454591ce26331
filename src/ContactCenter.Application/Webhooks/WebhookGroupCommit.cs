using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Webhooks;

/// <summary>
/// Group commit for verified webhooks: concurrent intakes queue their rows and whichever request gets the commit turn
/// inserts everything queued so far in ONE transaction (one fsync) for all of them; each request is acknowledged only after
/// the transaction holding its row committed. A failed batch is retried row by row so one bad row fails only its own
/// request (the provider retries it). Under light load a batch is a single row, so nothing waits for company.
/// </summary>
public sealed partial class WebhookGroupCommit(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, ILogger<WebhookGroupCommit> logger)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _transactions;
    private long _committing;

    /// <summary>Transactions committed so far (each holding one or more webhooks).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Rows waiting for the next transaction.</summary>
    public int Queued => _queue.Count;

    /// <summary>True while a transaction is being written.</summary>
    public bool Committing => Interlocked.Read(ref _committing) > 0;

    /// <summary>Returns once <paramref name="item"/> is committed; throws when storing it failed (the webhook must not be acknowledged).</summary>
    public async Task StoreAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var pending = new Pending(item);
        _queue.Enqueue(pending);

        // Not cancellable: once queued, the row is committed by whichever request holds the turn; commits are short.
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                var batch = new List<Pending>();
                while (batch.Count < Math.Max(1, options.Value.MaxCommitBatch) && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await CommitAsync(batch);
            }
        }
        finally
        {
            _turn.Release();
        }

        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        Interlocked.Increment(ref _committing);
        try
        {
            await SaveAsync(batch);
            batch.ForEach(p => p.Done.TrySetResult());
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or TimeoutException && batch.Count > 1)
        {
            LogBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                try
                {
                    await SaveAsync([pending]);
                    pending.Done.TrySetResult();
                }
                catch (Exception single) when (single is DbUpdateException or InvalidOperationException or TimeoutException)
                {
                    pending.Done.TrySetException(single);
                }
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Done.TrySetException(ex));
        }
        finally
        {
            Interlocked.Decrement(ref _committing);
        }
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AddRange(batch.Select(p => p.Item));
        await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(CancellationToken.None);
        Interlocked.Increment(ref _transactions);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} webhooks failed; storing them one by one.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(WebhookInboxItem Item)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
