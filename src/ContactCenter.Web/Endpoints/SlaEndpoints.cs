using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Sla;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

/// <summary>Admin API for business-hours calendars and SLA policies, and the supervisors' SLA watch list.</summary>
public static class SlaEndpoints
{
    public sealed record TeamCalendarRequest(Guid? CalendarId);

    public static IEndpointRouteBuilder MapSlaEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .WithTags("SLA administration")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AuditSettingsChanges("sla");

        admin.MapGet("/business-hours", (SlaQueries queries, CancellationToken ct) => queries.CalendarsAsync(ct))
            .WithSummary("Business-hours calendars (time zone, weekly openings, holidays) and the teams using each");

        admin.MapPost("/business-hours", async (BusinessHoursInput input, SlaAdministration sla, CancellationToken ct) =>
            Created(await sla.CreateCalendarAsync(input, ct), c => $"/api/v1/admin/business-hours/{c.Id}"))
            .WithSummary("Create a calendar: times are HH:mm local to timeZone (IANA or Windows id), \"24:00\" ends at midnight")
            .Produces<BusinessHoursDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPut("/business-hours/{id:guid}", async (Guid id, BusinessHoursInput input, SlaAdministration sla, CancellationToken ct) =>
            Ok(await sla.UpdateCalendarAsync(new BusinessHoursId(id), input, ct)))
            .WithSummary("Replace a calendar")
            .Produces<BusinessHoursDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPut("/teams/{teamId:guid}/business-hours", async (Guid teamId, TeamCalendarRequest request, SlaAdministration sla, CancellationToken ct) =>
        {
            var result = await sla.SetTeamCalendarAsync(new TeamId(teamId), request.CalendarId is { } c ? new BusinessHoursId(c) : null, ct);
            return result.IsSuccess ? Results.NoContent() : ProblemResults.From(result.Error!);
        })
            .WithSummary("Give a team a calendar (calendarId null: its SLA clock runs 24/7)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapGet("/sla-policies", (SlaQueries queries, CancellationToken ct) => queries.PoliciesAsync(ct))
            .WithSummary("SLA policies in the order they are tried (the first enabled match wins)");

        admin.MapPost("/sla-policies", async (SlaPolicyInput input, SlaAdministration sla, CancellationToken ct) =>
            Created(await sla.CreatePolicyAsync(input, ct), p => $"/api/v1/admin/sla-policies/{p.Id}"))
            .WithSummary("Create a policy: targets per priority in working minutes; conditions on channels, teams, tags and contact attributes")
            .Produces<SlaPolicyDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPut("/sla-policies/{id:guid}", async (Guid id, SlaPolicyInput input, SlaAdministration sla, CancellationToken ct) =>
            Ok(await sla.UpdatePolicyAsync(new SlaPolicyId(id), input, ct)))
            .WithSummary("Replace a policy")
            .Produces<SlaPolicyDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/v1/sla/watch", (SlaQueries queries, int? take, CancellationToken ct) => queries.WatchListAsync(take ?? 50, ct))
            .RequireAuthorization(Policies.Supervisors)
            .WithTags("SLA")
            .WithSummary("Conversations at risk (past the warning share of a target) and breached, most urgent first");
        return app;
    }

    private static IResult Created<T>(Result<T> result, Func<T, string> location) =>
        result.IsSuccess ? Results.Created(location(result.Value!), result.Value) : ProblemResults.From(result.Error!);

    private static IResult Ok<T>(Result<T> result) =>
        result.IsSuccess ? Results.Ok(result.Value) : ProblemResults.From(result.Error!);
}
