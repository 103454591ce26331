using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Agents;

public enum StaffRole
{
    Agent = 0,
    Supervisor = 1,
    Admin = 2,
}

public enum Presence
{
    Offline = 0,
    Online = 1,
    Away = 2,
}

public sealed record AgentSkill(string Name, int Level)
{
    public const int MinLevel = 1;
    public const int MaxLevel = 5;
}

/// <summary>How many conversations of each work kind an agent handles at once.</summary>
public sealed record Capacity(int Live, int Async)
{
    public static readonly Capacity Default = new(3, 10);

    public int For(WorkKind kind) => kind == WorkKind.Live ? Live : Async;
}

public sealed record AgentPresenceChanged(AgentId AgentId, Presence From, Presence To, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A staff member who handles conversations. The sign-in account lives in Identity (UserId).</summary>
public sealed class Agent : AggregateRoot
{
    private IReadOnlyList<TeamId> _teamIds = [];
    private IReadOnlyList<AgentSkill> _skills = [];

    private Agent() { }

    public AgentId Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string Email { get; private set; } = "";
    public StaffRole Role { get; private set; }
    public string Locale { get; private set; } = "en";
    public int LiveCapacity { get; private set; }
    public int AsyncCapacity { get; private set; }
    public Presence Presence { get; private set; }
    public string? AwayReason { get; private set; }
    public DateTimeOffset PresenceChangedAt { get; private set; }
    public DateTimeOffset? LastAssignedAt { get; private set; }

    /// <summary>Plain text appended to the agent's email replies; null when the agent has none.</summary>
    public string? Signature { get; private set; }

    /// <summary>Bumped with every assignment; a concurrency token, so two nodes cannot both fill the agent's last slot.</summary>
    public int AssignmentVersion { get; private set; }
    public bool IsActive { get; private set; } = true;

    /// <summary>True once an admin set this agent's own capacity; otherwise the team default applies.</summary>
    public bool HasOwnCapacity { get; private set; }

    public IReadOnlyList<TeamId> TeamIds => _teamIds;
    public IReadOnlyList<AgentSkill> Skills => _skills;
    public Capacity Capacity => new(LiveCapacity, AsyncCapacity);

    public static Result<Agent> Create(string userId, string displayName, string email, StaffRole role, Capacity capacity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (string.IsNullOrWhiteSpace(userId) || string.IsNullOrWhiteSpace(displayName))
        {
            return Error.Validation("agent.name", "An agent needs an account and a display name.");
        }

        var agent = new Agent
        {
            Id = AgentId.New(),
            UserId = userId,
            DisplayName = displayName.Trim(),
            Email = email.Trim().ToLowerInvariant(),
            Role = role,
            Presence = Presence.Offline,
            PresenceChangedAt = now,
        };
        var set = agent.SetCapacity(capacity);
        agent.HasOwnCapacity = false;
        return set.IsSuccess ? agent : set.Error!;
    }

    public Result SetCapacity(Capacity capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (capacity.Live is < 0 or > 50 || capacity.Async is < 0 or > 500)
        {
            return Error.Validation("agent.capacity", "Capacity is 0–50 live chats and 0–500 async conversations.");
        }

        LiveCapacity = capacity.Live;
        AsyncCapacity = capacity.Async;
        HasOwnCapacity = true;
        return Result.Success();
    }

    /// <summary>
    /// The capacity routing uses: the agent's own when set, else the most generous default of the
    /// agent's teams, else the agent's initial capacity.
    /// </summary>
    public Capacity EffectiveCapacity(IReadOnlyDictionary<TeamId, Teams.Team> teams)
    {
        ArgumentNullException.ThrowIfNull(teams);
        if (HasOwnCapacity)
        {
            return Capacity;
        }

        var mine = _teamIds.Select(t => teams.GetValueOrDefault(t)).Where(t => t is not null).ToList();
        var live = mine.Select(t => t!.DefaultLiveCapacity).Where(c => c is not null).Max();
        var async = mine.Select(t => t!.DefaultAsyncCapacity).Where(c => c is not null).Max();
        return new Capacity(live ?? LiveCapacity, async ?? AsyncCapacity);
    }

    public const int MaxSignatureLength = 1000;

    /// <summary>Sets (or, with null or blank text, clears) the plain-text signature of the agent's email replies.</summary>
    public Result SetSignature(string? signature)
    {
        var text = signature?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text is { Length: > MaxSignatureLength })
        {
            return Error.Validation("agent.signature", $"A signature is at most {MaxSignatureLength} characters.");
        }

        if (text is not null && text.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            return Error.Validation("agent.signature", "A signature is plain text.");
        }

        Signature = string.IsNullOrEmpty(text) ? null : text;
        return Result.Success();
    }

    public void SetLocale(string locale) => Locale = locale is "zh-CN" ? "zh-CN" : "en";

    public void JoinTeam(TeamId teamId)
    {
        if (!_teamIds.Contains(teamId))
        {
            _teamIds = [.. _teamIds, teamId];
        }
    }

    public void LeaveTeam(TeamId teamId) => _teamIds = _teamIds.Where(t => t != teamId).ToList();

    public bool IsInTeam(TeamId teamId) => _teamIds.Contains(teamId);

    public Result SetSkill(string name, int level)
    {
        var normalized = (name ?? "").Trim().ToLowerInvariant();
        if (normalized.Length is 0 or > 40)
        {
            return Error.Validation("agent.skill", "A skill name is 1 to 40 characters.");
        }

        if (level is < AgentSkill.MinLevel or > AgentSkill.MaxLevel)
        {
            return Error.Validation("agent.skill_level", $"Skill levels run from {AgentSkill.MinLevel} to {AgentSkill.MaxLevel}.");
        }

        _skills = [.. _skills.Where(s => s.Name != normalized), new AgentSkill(normalized, level)];
        return Result.Success();
    }

    public int SkillLevel(string name) => _skills.FirstOrDefault(s => s.Name == (name ?? "").Trim().ToLowerInvariant())?.Level ?? 0;

    public Result SetPresence(Presence presence, string? awayReason, DateTimeOffset now)
    {
        if (!Enum.IsDefined(presence))
        {
            return Error.Validation("agent.presence", "Unknown presence.");
        }

        if (!IsActive && presence != Presence.Offline)
        {
            return Error.Conflict("agent.inactive", "A deactivated agent cannot go online.");
        }

        var from = Presence;
        Presence = presence;
        AwayReason = presence == Presence.Away ? awayReason?.Trim() : null;
        if (from != presence)
        {
            PresenceChangedAt = now;
            Raise(new AgentPresenceChanged(Id, from, presence, now));
        }

        return Result.Success();
    }

    public void RecordAssignment(DateTimeOffset now)
    {
        LastAssignedAt = now;
        AssignmentVersion++;
    }

    public void Deactivate(DateTimeOffset now)
    {
        SetPresence(Presence.Offline, null, now);
        IsActive = false;
    }
}
