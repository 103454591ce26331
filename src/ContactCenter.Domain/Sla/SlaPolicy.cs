using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Sla;

public readonly record struct SlaPolicyId(Guid Value)
{
    public static SlaPolicyId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public enum SlaMetric
{
    FirstResponse = 0,
    NextResponse = 1,
    Resolution = 2,
}

/// <summary>Working-time targets for one priority (null: no target for that metric).</summary>
public sealed record SlaTargets(TimeSpan? FirstResponse, TimeSpan? NextResponse, TimeSpan? Resolution)
{
    public static readonly SlaTargets None = new(null, null, null);

    public TimeSpan? For(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => FirstResponse,
        SlaMetric.NextResponse => NextResponse,
        _ => Resolution,
    };
}

/// <summary>When a policy applies. Every non-empty condition must hold (empty: any); within one condition any listed value matches.</summary>
public sealed record SlaConditions(
    IReadOnlyList<ChannelKind> Channels,
    IReadOnlyList<TeamId> Teams,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> ContactAttributes)
{
    public static readonly SlaConditions Any = new([], [], [], new Dictionary<string, string>(StringComparer.Ordinal));

    public bool Matches(Conversation conversation, IReadOnlyDictionary<string, string> contactAttributes)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(contactAttributes);
        return (Channels.Count == 0 || Channels.Contains(conversation.Channel))
            && (Teams.Count == 0 || (conversation.TeamId is { } team && Teams.Contains(team)))
            && (Tags.Count == 0 || Tags.Any(t => conversation.Tags.Contains(t)))
            && ContactAttributes.All(kv => contactAttributes.TryGetValue(kv.Key, out var value) && string.Equals(value, kv.Value, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// Response and resolution targets per priority, applied to the conversations its conditions match. Policies are
/// ordered (<see cref="Order"/>); the first enabled match wins (see <see cref="Select"/>).
/// </summary>
public sealed class SlaPolicy
{
    public const int MaxNameLength = 80;
    public static readonly TimeSpan MaxTarget = TimeSpan.FromDays(365);

    private IReadOnlyDictionary<Priority, SlaTargets> _targets = new Dictionary<Priority, SlaTargets>();

    private SlaPolicy() { }

    public SlaPolicyId Id { get; private set; }
    public string Name { get; private set; } = "";
    public int Order { get; private set; }
    public bool Enabled { get; private set; } = true;
    public SlaConditions Conditions { get; private set; } = SlaConditions.Any;
    public IReadOnlyDictionary<Priority, SlaTargets> Targets => _targets;

    public static Result<SlaPolicy> Create(string name, int order, SlaConditions conditions, IReadOnlyDictionary<Priority, SlaTargets> targets, bool enabled = true)
    {
        var policy = new SlaPolicy { Id = SlaPolicyId.New() };
        var updated = policy.Update(name, order, conditions, targets, enabled);
        return updated.IsSuccess ? policy : updated.Error!;
    }

    public Result Update(string name, int order, SlaConditions conditions, IReadOnlyDictionary<Priority, SlaTargets> targets, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(targets);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            return Error.Validation("sla_policy.name", $"A policy name is 1 to {MaxNameLength} characters.");
        }

        if (targets.Count == 0)
        {
            return Error.Validation("sla_policy.targets", "A policy needs targets for at least one priority.");
        }

        foreach (var (priority, target) in targets)
        {
            if (!Enum.IsDefined(priority))
            {
                return Error.Validation("sla_policy.priority", "Unknown priority.");
            }

            foreach (var value in new[] { target.FirstResponse, target.NextResponse, target.Resolution })
            {
                if (value is { } v && (v <= TimeSpan.Zero || v > MaxTarget))
                {
                    return Error.Validation("sla_policy.target", $"{priority}: a target is more than zero and at most {MaxTarget.TotalDays} days.");
                }
            }
        }

        if (conditions.Tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 50))
        {
            return Error.Validation("sla_policy.tags", "Tag conditions are 1 to 50 characters.");
        }

        Name = name.Trim();
        Order = order;
        Enabled = enabled;
        Conditions = conditions with { Tags = conditions.Tags.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList() };
        _targets = new Dictionary<Priority, SlaTargets>(targets);
        return Result.Success();
    }

    public bool Matches(Conversation conversation, IReadOnlyDictionary<string, string> contactAttributes) =>
        Enabled && Conditions.Matches(conversation, contactAttributes);

    /// <summary>The first enabled policy (by order, then id) whose conditions match, or null.</summary>
    public static SlaPolicy? Select(IEnumerable<SlaPolicy> policies, Conversation conversation, IReadOnlyDictionary<string, string> contactAttributes) =>
        policies.OrderBy(p => p.Order).ThenBy(p => p.Id.Value).FirstOrDefault(p => p.Matches(conversation, contactAttributes));

    /// <summary>This policy's targets for a priority (none when the priority has no targets).</summary>
    public SlaTargets TargetsFor(Priority priority) => _targets.TryGetValue(priority, out var t) ? t : SlaTargets.None;
}
