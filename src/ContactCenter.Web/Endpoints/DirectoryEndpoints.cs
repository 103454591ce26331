using System.Security.Claims;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Api;
using ContactCenter.Application.Knowledge;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

/// <summary>/api/v1 contacts, teams, agents and the knowledge-article list: read-only, paged by cursor/limit.</summary>
public static class DirectoryEndpoints
{
    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/v1/contacts").RequireAuthorization(Policies.Staff).WithTags("Contacts");
        contacts.MapGet("/", async (string? search, string? cursor, int? limit, ClaimsPrincipal user, AgentDirectory directory, DirectoryApiQueries queries, CancellationToken ct) =>
        {
            if (await ApiEndpoints.StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var page = await queries.ContactsAsync(staff, search, cursor, limit, ct);
            return page.IsSuccess ? Results.Ok(page.Value) : ProblemResults.From(page.Error!);
        })
            .WithSummary("Contacts (agents: those of conversations they may see), newest first; search matches name, email or phone")
            .Produces<Page<ContactDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        contacts.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, AgentDirectory directory, DirectoryApiQueries queries, CancellationToken ct) =>
        {
            if (await ApiEndpoints.StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            return await queries.ContactAsync(staff, new ContactId(id), ct) is { } contact
                ? Results.Ok(contact)
                : ProblemResults.From(Error.NotFound("The contact"));
        })
            .WithSummary("One contact (404 when it does not exist or is not visible to the caller)")
            .Produces<ContactDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/teams", async (string? cursor, int? limit, DirectoryApiQueries queries, CancellationToken ct) =>
        {
            var page = await queries.TeamsAsync(cursor, limit, ct);
            return page.IsSuccess ? Results.Ok(page.Value) : ProblemResults.From(page.Error!);
        })
            .RequireAuthorization(Policies.Staff).WithTags("Teams")
            .WithSummary("Teams by name, paged by cursor/limit")
            .Produces<Page<TeamDto>>();

        app.MapGet("/api/v1/agents", async (Guid? teamId, string? cursor, int? limit, DirectoryApiQueries queries, CancellationToken ct) =>
        {
            var page = await queries.AgentsAsync(teamId, cursor, limit, ct);
            return page.IsSuccess ? Results.Ok(page.Value) : ProblemResults.From(page.Error!);
        })
            .RequireAuthorization(Policies.Staff).WithTags("Agents")
            .WithSummary("Agents by name (filter teamId), with role, presence and teams; paged by cursor/limit")
            .Produces<Page<AgentDto>>();

        app.MapGet("/api/v1/kb/articles", async (string? locale, string? category, string? cursor, int? limit, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var all = await queries.ListAsync(locale ?? "en", category, staff: true, ct);
            var page = DirectoryApiQueries.OffsetPage(all, cursor, limit);
            return page.IsSuccess ? Results.Ok(page.Value) : ProblemResults.From(page.Error!);
        })
            .RequireAuthorization(Policies.Staff).WithTags("Knowledge base")
            .WithSummary("Published articles of a locale (en, zh-CN), public and internal, filter category; paged by cursor/limit")
            .Produces<Page<KnowledgeArticleSummary>>();
        return app;
    }
}
