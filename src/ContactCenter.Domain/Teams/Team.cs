using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Teams;

public enum RoutingStrategy
{
    LeastBusy = 0,
    RoundRobin = 1,
    Manual = 2,
}

public enum AssignmentMode
{
    AutoAssign = 0,
    Offer = 1,
}

/// <summary>A group of agents; teams are the queues work waits in.</summary>
public sealed class Team
{
    private Team() { }

    public TeamId Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public RoutingStrategy Strategy { get; private set; }
    public AssignmentMode AssignmentMode { get; private set; }
    public int OfferTimeoutSeconds { get; private set; } = 30;
    public TeamId? OverflowTeamId { get; private set; }
    public int? OverflowAfterSeconds { get; private set; }

    /// <summary>Capacity for members who have no capacity of their own (null: the product default).</summary>
    public int? DefaultLiveCapacity { get; private set; }

    public int? DefaultAsyncCapacity { get; private set; }

    /// <summary>The team's business hours (null: its SLA clock runs 24/7).</summary>
    public Sla.BusinessHoursId? BusinessHoursId { get; private set; }

    public void UseBusinessHours(Sla.BusinessHoursId? calendarId) => BusinessHoursId = calendarId;

    public Result SetDefaultCapacity(Agents.Capacity? capacity)
    {
        if (capacity is { Live: < 0 or > 50 } or { Async: < 0 or > 500 })
        {
            return Error.Validation("team.capacity", "Capacity is 0–50 live chats and 0–500 async conversations.");
        }

        DefaultLiveCapacity = capacity?.Live;
        DefaultAsyncCapacity = capacity?.Async;
        return Result.Success();
    }

    public static Result<Team> Create(string name, string? description = null, RoutingStrategy strategy = RoutingStrategy.LeastBusy)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 80)
        {
            return Error.Validation("team.name", "A team name is 1 to 80 characters.");
        }

        return new Team
        {
            Id = TeamId.New(),
            Name = name.Trim(),
            Description = description?.Trim() ?? "",
            Strategy = strategy,
            AssignmentMode = AssignmentMode.AutoAssign,
        };
    }

    public void SetStrategy(RoutingStrategy strategy) => Strategy = strategy;

    public Result ConfigureOffers(AssignmentMode mode, int offerTimeoutSeconds)
    {
        if (offerTimeoutSeconds is < 5 or > 600)
        {
            return Error.Validation("team.offer_timeout", "The offer timeout is 5 to 600 seconds.");
        }

        AssignmentMode = mode;
        OfferTimeoutSeconds = offerTimeoutSeconds;
        return Result.Success();
    }

    public Result ConfigureOverflow(TeamId? overflowTeamId, int? afterSeconds)
    {
        if (overflowTeamId == Id)
        {
            return Error.Validation("team.overflow", "A team cannot overflow into itself.");
        }

        if (overflowTeamId is not null && afterSeconds is null or < 10)
        {
            return Error.Validation("team.overflow_after", "Overflow waits at least 10 seconds.");
        }

        OverflowTeamId = overflowTeamId;
        OverflowAfterSeconds = overflowTeamId is null ? null : afterSeconds;
        return Result.Success();
    }
}
