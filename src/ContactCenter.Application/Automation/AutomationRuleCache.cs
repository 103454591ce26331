using ContactCenter.Domain.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Automation;

/// <summary>
/// The enabled automation rules by trigger, cached per node so that an event with no rule for its trigger costs no query
/// (every message, every status change and assignment asks). A rule saved, enabled, disabled or deleted on this node
/// invalidates the cache at once; other nodes of the same database see the change within
/// <see cref="AutomationOptions.RuleCacheDuration"/> (a short time-to-live, like the SLA policies and webhook subscriptions:
/// no shared version row to read per event, which would cost the query this cache saves).
/// </summary>
public sealed class AutomationRuleCache(IOptions<AutomationOptions> options, TimeProvider time)
{
    private sealed record Snapshot(ILookup<AutomationTrigger, AutomationRule> ByTrigger, DateTimeOffset LoadedAt);

    private volatile Snapshot? _snapshot;
    private long _version;

    /// <summary>Forgets the cached rules (after an admin change on this node); a load that was running keeps its rules to itself.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _snapshot = null;
    }

    /// <summary>The enabled rules of a trigger (shared, read-only instances: never track or change them).</summary>
    public async Task<IReadOnlyList<AutomationRule>> ForAsync(IAutomationDbContext automation, AutomationTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(automation);
        var cached = _snapshot;
        var ttl = options.Value.RuleCacheDuration;
        var now = time.GetUtcNow();
        if (cached is null || ttl <= TimeSpan.Zero || now - cached.LoadedAt >= ttl || now < cached.LoadedAt)
        {
            var version = Interlocked.Read(ref _version);
            var rules = await automation.AutomationRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken);
            cached = new Snapshot(rules.ToLookup(r => r.Trigger), now);
            if (Interlocked.Read(ref _version) == version)
            {
                _snapshot = cached;
            }
        }

        return [.. cached.ByTrigger[trigger]];
    }
}
