namespace ContactCenter.Application.Common;

/// <summary>
/// The retry schedule shared by the durable queues (the reply outbox, outbound webhook deliveries): exponential backoff
/// from <c>initial</c>, doubled per attempt up to <c>max</c>, with ±20 % jitter so an outage does not end in a
/// synchronised stampede.
/// </summary>
public static class RetryBackoff
{
    public static TimeSpan After(int attempt, TimeSpan initial, TimeSpan max)
    {
        var seconds = initial.TotalSeconds * Math.Pow(2, Math.Min(Math.Max(attempt, 1) - 1, 20));
        seconds = Math.Min(seconds, max.TotalSeconds);
#pragma warning disable CA5394 // jitter, not security
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(seconds * jitter);
    }
}
