using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Visitors;

/// <summary>Configuration <c>Widget:MessageRateLimit</c>: at most PermitLimit messages per Window per visitor (default 20 per 10 s).</summary>
public sealed class VisitorMessageRateOptions
{
    public int PermitLimit { get; set; } = 20;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Per-visitor limit on widget messages (a sliding window, in memory on each node). Refused sends store nothing;
/// the widget retries them once the window has moved on.
/// </summary>
public sealed class VisitorMessageLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public VisitorMessageLimiter(IOptions<VisitorMessageRateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var permits = Math.Max(1, options.Value.PermitLimit);
        var window = options.Value.Window > TimeSpan.Zero ? options.Value.Window : TimeSpan.FromSeconds(10);
        Window = window;
        _limiter = PartitionedRateLimiter.Create<string, string>(visitor => RateLimitPartition.GetSlidingWindowLimiter(visitor, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            SegmentsPerWindow = 5,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public TimeSpan Window { get; }

    /// <summary>Takes one permit for the visitor; false (with a suggested wait) when they are over the limit.</summary>
    public bool TryAcquire(string visitorId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(visitorId);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : Window / 5;
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
