using System.Security.Claims;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

public static class ApiEndpoints
{
    /// <summary>The REST API under /api/v1 (staff: cookie or bearer token).</summary>
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Staff).WithTags("Conversations");

        api.MapGet("/conversations", async (ClaimsPrincipal user, AgentDirectory directory, ConversationQueries queries, InboxView? view, CancellationToken ct) =>
        {
            var staff = await StaffAsync(user, directory, ct);
            return staff is null
                ? Results.Forbid()
                : Results.Ok(await queries.ListAsync(staff, new InboxFilter(view ?? InboxView.All), ct));
        }).Produces<IReadOnlyList<ConversationSummaryDto>>();

        api.MapGet("/conversations/{id:guid}", async (Guid id, ClaimsPrincipal user, AgentDirectory directory, ConversationQueries queries, CancellationToken ct) =>
        {
            var staff = await StaffAsync(user, directory, ct);
            if (staff is null)
            {
                return Results.Forbid();
            }

            var detail = await queries.DetailAsync(staff, new ConversationId(id), 200, ct);
            return detail is null ? ProblemResults.From(Error.NotFound("The conversation")) : Results.Ok(detail);
        }).Produces<ConversationDetail>();

        return app;
    }

    private static async Task<StaffMember?> StaffAsync(ClaimsPrincipal user, AgentDirectory directory, CancellationToken ct)
    {
        var agent = await directory.FindByUserIdAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", ct);
        return agent is null ? null : StaffMember.From(agent);
    }
}
