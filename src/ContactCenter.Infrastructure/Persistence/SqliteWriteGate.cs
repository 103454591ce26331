namespace ContactCenter.Infrastructure.Persistence;

/// <summary>
/// One writer at a time for one SQLite file, in two lanes. Waiters in each lane are served first come, first served;
/// when both lanes have waiters the gate alternates between them (priority, normal, priority, …), so priority work
/// (the router's assignments, <see cref="Application.Abstractions.WriteLane"/>) waits for at most one normal writer
/// instead of the whole queue, and normal writers still get every other turn.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _normal = new();
    private readonly LinkedList<TaskCompletionSource> _priority = new();
    private bool _held;
    private bool _lastWasPriority;

    /// <summary>Waiting writers (for tests and diagnostics).</summary>
    public (int Normal, int Priority) Waiting
    {
        get
        {
            lock (_lock)
            {
                return (_normal.Count, _priority.Count);
            }
        }
    }

    /// <summary>Completes when the caller holds the gate; it must call <see cref="Release"/> once done.</summary>
    public Task EnterAsync(bool priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                _lastWasPriority = priority;
                return Task.CompletedTask;
            }

            node = (priority ? _priority : _normal).AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(node, cancellationToken) : node.Value.Task;
    }

    private async Task WaitAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Abandon(node, cancellationToken)))
        {
            await node.Value.Task.ConfigureAwait(false);
        }
    }

    /// <summary>A cancelled waiter leaves its lane; once the gate was handed to it, it holds it (and releases it as usual).</summary>
    private void Abandon(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                return;
            }

            node.List.Remove(node);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }

    /// <summary>Hands the gate to the next waiter (alternating lanes when both have one), or frees it.</summary>
    public void Release()
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            if (!_held)
            {
                throw new InvalidOperationException("The write gate is not held.");
            }

            var lane = _priority.Count > 0 && (_normal.Count == 0 || !_lastWasPriority) ? _priority
                : _normal.Count > 0 ? _normal
                : null;
            if (lane is null)
            {
                _held = false;
                return;
            }

            next = lane.First!.Value;
            lane.RemoveFirst();
            _lastWasPriority = ReferenceEquals(lane, _priority);
        }

        next.TrySetResult();
    }
}
