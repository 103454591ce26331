namespace ContactCenter.Application.Supervision;

/// <summary>
/// `Supervisor:ServiceLevel` configuration: the answer targets of the dashboard's per-queue service level and the goal.
/// The window is fixed: conversations created in the last 24 hours (rolling, like the dashboard's resolved counts).
/// </summary>
public sealed class ServiceLevelOptions
{
    public const string Section = "Supervisor:ServiceLevel";

    /// <summary>The service-level window: conversations created this long before now.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Live chat (web chat) is answered within this many seconds (default 20: the classic 80/20).</summary>
    public int LiveTargetSeconds { get; set; } = 20;

    /// <summary>
    /// Async work (email and messaging apps) is answered within this many seconds (default 3600: one hour, wall-clock).
    /// SLA policies carry their own first-response targets, in business hours, and have their own at-risk/breached lists.
    /// </summary>
    public int AsyncTargetSeconds { get; set; } = 3600;

    /// <summary>The goal: share answered within the target, in percent (default 80). Under it the dashboard turns red.</summary>
    public int GoalPercent { get; set; } = 80;

    /// <summary>Longest-waiting conversations listed per queue (default 5).</summary>
    public int WaitingListSize { get; set; } = 5;
}
