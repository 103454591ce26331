using ContactCenter.Domain.Common;
using ContactCenter.Domain.Teams;

namespace ContactCenter.Domain.Tests.Teams;

public class TeamTests
{
    private static Team NewTeam() => Team.Create("Support").Value;

    [Fact]
    public void Create_Valid_TrimsAndUsesDefaults()
    {
        var result = Team.Create("  Billing ", "  Money matters ");

        Assert.True(result.IsSuccess);
        var team = result.Value;
        Assert.Equal("Billing", team.Name);
        Assert.Equal("Money matters", team.Description);
        Assert.Equal(RoutingStrategy.LeastBusy, team.Strategy);
        Assert.Equal(AssignmentMode.AutoAssign, team.AssignmentMode);
        Assert.Equal(30, team.OfferTimeoutSeconds);
        Assert.Null(team.OverflowTeamId);
        Assert.Null(team.OverflowAfterSeconds);
        Assert.NotEqual(Guid.Empty, team.Id.Value);
    }

    [Fact]
    public void Create_NoDescriptionAndStrategy_UsesEmptyDescriptionAndGivenStrategy()
    {
        var team = Team.Create("Sales", null, RoutingStrategy.RoundRobin).Value;

        Assert.Equal("", team.Description);
        Assert.Equal(RoutingStrategy.RoundRobin, team.Strategy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_BlankName_ReturnsNameValidationError(string name)
    {
        Assert.Equal("validation.team.name", Team.Create(name).Error?.Code);
    }

    [Fact]
    public void Create_NameLengthBounds_80AcceptedAnd81Refused()
    {
        Assert.True(Team.Create("  " + new string('n', 80) + "  ").IsSuccess);
        Assert.Equal("validation.team.name", Team.Create(new string('n', 81)).Error?.Code);
    }

    [Fact]
    public void SetStrategy_Manual_ChangesStrategy()
    {
        var team = NewTeam();

        team.SetStrategy(RoutingStrategy.Manual);

        Assert.Equal(RoutingStrategy.Manual, team.Strategy);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(600)]
    public void ConfigureOffers_TimeoutAtBounds_IsAccepted(int seconds)
    {
        var team = NewTeam();

        var result = team.ConfigureOffers(AssignmentMode.Offer, seconds);

        Assert.True(result.IsSuccess);
        Assert.Equal(AssignmentMode.Offer, team.AssignmentMode);
        Assert.Equal(seconds, team.OfferTimeoutSeconds);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(601)]
    [InlineData(0)]
    public void ConfigureOffers_TimeoutOutOfBounds_KeepsSettings(int seconds)
    {
        var team = NewTeam();

        var result = team.ConfigureOffers(AssignmentMode.Offer, seconds);

        Assert.Equal("validation.team.offer_timeout", result.Error?.Code);
        Assert.Equal(AssignmentMode.AutoAssign, team.AssignmentMode);
        Assert.Equal(30, team.OfferTimeoutSeconds);
    }

    [Fact]
    public void ConfigureOverflow_ItsOwnId_ReturnsOverflowValidationError()
    {
        var team = NewTeam();

        var result = team.ConfigureOverflow(team.Id, 60);

        Assert.Equal("validation.team.overflow", result.Error?.Code);
        Assert.Null(team.OverflowTeamId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(9)]
    [InlineData(0)]
    public void ConfigureOverflow_OtherTeamWithoutEnoughWait_ReturnsOverflowAfterValidationError(int? seconds)
    {
        var team = NewTeam();

        var result = team.ConfigureOverflow(TeamId.New(), seconds);

        Assert.Equal("validation.team.overflow_after", result.Error?.Code);
        Assert.Null(team.OverflowTeamId);
    }

    [Fact]
    public void ConfigureOverflow_OtherTeamAfter10Seconds_IsAccepted()
    {
        var team = NewTeam();
        var other = TeamId.New();

        var result = team.ConfigureOverflow(other, 10);

        Assert.True(result.IsSuccess);
        Assert.Equal(other, team.OverflowTeamId);
        Assert.Equal(10, team.OverflowAfterSeconds);
    }

    [Fact]
    public void ConfigureOverflow_NoTeam_ClearsOverflowAndIgnoresSeconds()
    {
        var team = NewTeam();
        team.ConfigureOverflow(TeamId.New(), 120);

        var result = team.ConfigureOverflow(null, 45);

        Assert.True(result.IsSuccess);
        Assert.Null(team.OverflowTeamId);
        Assert.Null(team.OverflowAfterSeconds);
    }
}
