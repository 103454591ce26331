namespace ContactCenter.Testing;

/// <summary>Every await in a test is bounded: a hang fails the test with a message instead of stalling the run.</summary>
public static class Waits
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static async Task<T> Within<T>(this Task<T> task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {(timeout ?? Default).TotalSeconds:0}s waiting for {what}.");
        }
    }

    public static async Task Within(this Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {(timeout ?? Default).TotalSeconds:0}s waiting for {what}.");
        }
    }

    /// <summary>Polls a condition until it holds, failing with a message after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? Default;
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(25);
        }
    }
}
