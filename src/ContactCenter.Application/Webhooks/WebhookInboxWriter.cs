using System.Collections.Concurrent;
using System.Data.Common;
using ContactCenter.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Webhooks;

/// <summary>
/// Group commit for the webhook intake: concurrent requests' rows are inserted together, in one transaction, by whichever
/// request holds the writer; each request is answered as soon as the transaction holding its row has committed (it does
/// not wait for the writer when another request's batch already committed its row). With a database that commits a few
/// hundred times a second (SQLite, fsync per commit) this turns N inserts waiting for N commits into N inserts in about
/// one commit. A batch that fails is retried row by row, so one bad row (its inbox deleted in flight) fails only its own
/// request; a database that is unavailable fails them all (they answer 5xx and the provider retries).
/// </summary>
public sealed class WebhookInboxWriter(IServiceScopeFactory scopes)
{
    /// <summary>At most this many rows per transaction (each is at most Webhooks:MaxBodyBytes).</summary>
    public const int MaxBatch = 128;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    private sealed class Pending(WebhookInboxItem item)
    {
        public WebhookInboxItem Item { get; } = item;
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes once <paramref name="item"/> is committed; throws what the save threw when it could not be.</summary>
    public async Task StoreAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var pending = new Pending(item);
        _queue.Enqueue(pending);
        // Not cancellable once queued: the batch that holds this row may also hold other requests' rows.
        var writer = _writer.WaitAsync(CancellationToken.None);
        if (!writer.IsCompleted && await Task.WhenAny(writer, pending.Committed.Task) != writer)
        {
            // Another request's batch settled this row: answer now. The writer, when this wait gets it, goes straight back.
            _ = writer.ContinueWith(_ => _writer.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            try
            {
                while (!pending.Committed.Task.IsCompleted)
                {
                    await WriteBatchAsync();
                }
            }
            finally
            {
                _writer.Release();
            }
        }

        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Taken while a batch is written (internal for tests: holding it shows who waits for it).</summary>
    internal SemaphoreSlim Writer => _writer;

    /// <summary>Writes what is queued (at most <see cref="MaxBatch"/> rows); the caller holds <see cref="Writer"/>.</summary>
    internal async Task WriteBatchAsync()
    {
        var batch = new List<Pending>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        if (batch.Count == 0)
        {
            return;
        }

        var failure = await SaveAsync(batch);
        if (failure is null)
        {
            batch.ForEach(p => p.Committed.TrySetResult());
            return;
        }

        if (batch.Count == 1 || IsUnavailable(failure))
        {
            batch.ForEach(p => p.Committed.TrySetException(failure));
            return;
        }

        // Nothing of the batch was committed (one transaction): find the bad row(s), each row in its own save.
        Exception? unavailable = null;
        foreach (var pending in batch)
        {
            var alone = unavailable ?? await SaveAsync([pending]);
            if (alone is null)
            {
                pending.Committed.TrySetResult();
            }
            else
            {
                unavailable ??= IsUnavailable(alone) ? alone : null;
                pending.Committed.TrySetException(alone);
            }
        }
    }

    /// <summary>Inserts the rows in one save (one transaction) in a scope of its own; returns what it threw, or null once committed.</summary>
    private async Task<Exception?> SaveAsync(IReadOnlyList<Pending> rows)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AddRange(rows.Select(p => p.Item));
            await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(CancellationToken.None);
            return null;
        }
#pragma warning disable CA1031 // the failure goes to the waiting requests (they answer 5xx: the provider retries)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    /// <summary>
    /// The database rather than a row: a failure outside the statements (opening the connection, the commit), or one the
    /// provider calls transient (busy, failover). Retrying row by row would only fail each row again.
    /// </summary>
    private static bool IsUnavailable(Exception exception) =>
        exception is not DbUpdateException || exception.InnerException is DbException { IsTransient: true } or TimeoutException;
}
