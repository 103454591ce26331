namespace ContactCenter.Application.Sla;

/// <summary>`Sla` configuration section.</summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>Share of a target after which a warning is recorded (0–1, default 0.75).</summary>
    public double WarningShare { get; set; } = 0.75;

    /// <summary>How often each node sweeps for warnings, breaches, wake-ups and auto-closes (default 1 s, so alerts land within a second of due).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On a breach, raise the conversation's priority one step (Urgent stays Urgent).</summary>
    public bool RaisePriorityOnBreach { get; set; } = true;

    /// <summary>Resolved conversations close after this long without news (zero: never).</summary>
    public TimeSpan AutoCloseResolvedAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Conversations pending on the customer close after this long without a message (zero: never).</summary>
    public TimeSpan AutoClosePendingAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a node trusts its cached policies and calendars (changes made on the same node apply at once).</summary>
    public TimeSpan PolicyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many conversations are handled per sweep step (the rest wait for the next sweep).</summary>
    public int BatchSize { get; set; } = 200;
}
