using System.Diagnostics;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Sla;

/// <summary>
/// Plans SLA due times for the conversations a unit of work changed, inside the same save (called by the DbContext just
/// before it writes), so due times are always consistent with the state they were computed from. Policies and calendars
/// are cached per node for <see cref="SlaOptions.PolicyCacheDuration"/>; admin changes on this node invalidate at once.
/// </summary>
public sealed class SlaPlanner(IOptions<SlaOptions> options, TimeProvider time)
{
    private sealed record Snapshot(IReadOnlyList<SlaPolicy> Policies, IReadOnlyDictionary<TeamId, SlaClock> ClockByTeam, bool NeedsContactAttributes, long LoadedAt);

    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;

    /// <summary>Forgets cached policies and calendars (after an admin change).</summary>
    public void Invalidate() => _snapshot = null;

    public async Task PlanAsync(IApplicationDbContext db, ISlaDbContext sla, IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(conversations);
        var snapshot = await LoadAsync(db, sla, cancellationToken);
        if (snapshot.Policies.Count == 0 && conversations.All(c => c.SlaPolicyId is null && c.SlaPausedAt is null && c.ResolutionDueAt is null && c.FirstResponseDueAt is null && c.NextResponseDueAt is null))
        {
            return;
        }

        var attributes = new Dictionary<ContactId, IReadOnlyDictionary<string, string>>();
        if (snapshot.NeedsContactAttributes)
        {
            var ids = conversations.Select(c => c.ContactId).Distinct().ToList();
            var contacts = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Attributes }).ToListAsync(cancellationToken);
            foreach (var contact in contacts)
            {
                attributes[contact.Id] = contact.Attributes;
            }
        }

        var now = time.GetUtcNow();
        var share = options.Value.WarningShare;
        foreach (var conversation in conversations)
        {
            var policy = SlaPolicy.Select(snapshot.Policies, conversation, attributes.GetValueOrDefault(conversation.ContactId) ?? NoAttributes);
            var clock = conversation.TeamId is { } team && snapshot.ClockByTeam.TryGetValue(team, out var teamClock) ? teamClock : SlaClock.AlwaysOpen;
            conversation.PlanSla(policy?.Id, policy?.TargetsFor(conversation.Priority) ?? SlaTargets.None, clock, share, now);
        }
    }

    /// <summary>The SLA clock of a team (24/7 without a calendar).</summary>
    public async Task<SlaClock> ClockForAsync(IApplicationDbContext db, ISlaDbContext sla, TeamId? teamId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(db, sla, cancellationToken);
        return teamId is { } team && snapshot.ClockByTeam.TryGetValue(team, out var clock) ? clock : SlaClock.AlwaysOpen;
    }

    private async Task<Snapshot> LoadAsync(IApplicationDbContext db, ISlaDbContext sla, CancellationToken cancellationToken)
    {
        var cached = _snapshot;
        if (cached is not null && Stopwatch.GetElapsedTime(cached.LoadedAt) < options.Value.PolicyCacheDuration)
        {
            return cached;
        }

        var policies = await sla.SlaPolicies.AsNoTracking().Where(p => p.Enabled).ToListAsync(cancellationToken);
        var calendars = await sla.BusinessHours.AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.BusinessHoursId != null).Select(t => new { t.Id, t.BusinessHoursId }).ToListAsync(cancellationToken);
        var clocks = new Dictionary<BusinessHoursId, SlaClock>();
        var byTeam = new Dictionary<TeamId, SlaClock>();
        foreach (var team in teams)
        {
            if (calendars.TryGetValue(team.BusinessHoursId!.Value, out var calendar))
            {
                if (!clocks.TryGetValue(calendar.Id, out var clock))
                {
                    clock = SlaClock.For(calendar);
                    clocks[calendar.Id] = clock;
                }

                byTeam[team.Id] = clock;
            }
        }

        var snapshot = new Snapshot(policies, byTeam, policies.Any(p => p.Conditions.ContactAttributes.Count > 0), Stopwatch.GetTimestamp());
        _snapshot = snapshot;
        return snapshot;
    }
}
