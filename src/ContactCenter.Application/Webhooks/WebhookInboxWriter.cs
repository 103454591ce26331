using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Webhooks;

/// <summary>
/// Group commit for the webhook intake: concurrent requests' rows are inserted together, in one transaction, by whichever
/// request holds the writer; each request is answered only once the transaction holding its row has committed (or fails
/// with it, and the provider retries). With a database that commits a few hundred times a second (SQLite, fsync per
/// commit) this turns N inserts waiting for N commits into N inserts in about one commit.
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
        await _writer.WaitAsync(CancellationToken.None);
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

        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteBatchAsync()
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

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AddRange(batch.Select(p => p.Item));
            await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(CancellationToken.None);
            batch.ForEach(p => p.Committed.TrySetResult());
        }
#pragma warning disable CA1031 // every waiting request gets the failure (and answers 5xx: the provider retries)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            batch.ForEach(p => p.Committed.TrySetException(ex));
        }
    }
}
