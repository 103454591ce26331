using System.Security.Claims;
using System.Text.Json;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Api;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Create;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Replies;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web.Endpoints;

/// <summary>A reply or private note sent through the API.</summary>
public sealed record PostMessageRequest(string? Text, bool IsPrivate = false, string? ClientMessageId = null);

public static class ApiEndpoints
{
    /// <summary>The REST API under /api/v1 (staff: cookie or bearer token).</summary>
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Staff).WithTags("Conversations");

        api.MapGet("/conversations", async (ClaimsPrincipal user, AgentDirectory directory, ConversationQueries queries,
            InboxView? view, ConversationStatus? status, Guid? teamId, Guid? assigneeId, Guid? contactId, ChannelKind? channel, string? cursor, int? limit, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var page = await queries.PageAsync(staff, new ConversationPageFilter(view ?? InboxView.All, status, teamId, assigneeId, contactId, channel, cursor, limit), ct);
            return page.IsSuccess ? Results.Ok(page.Value) : ProblemResults.From(page.Error!);
        })
            .WithSummary("Conversations the caller may see, newest first; filters: view, status, teamId, assigneeId, contactId, channel; paged by cursor/limit (next_cursor)")
            .Produces<Page<ConversationSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost("/conversations", async (CreateConversation request, ClaimsPrincipal user, AgentDirectory directory, CreateConversationHandler create, ConversationQueries queries,
            IdempotencyScope idempotency, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            // With an Idempotency-Key, the 201 is composed inside the creation's transaction (after its rows are written) and
            // stored with it: one commit for both (docs/adr/021-write-path-performance.md).
            idempotency.AnswerWith(async (added, token) =>
                added.OfType<Conversation>().FirstOrDefault() is { } opened && await queries.SummaryAsync(opened.Id, token) is { } composed
                    ? new IdempotentAnswer(StatusCodes.Status201Created, JsonContentType, ConversationLocation(opened.Id.Value),
                        JsonSerializer.SerializeToUtf8Bytes(composed, json.Value.SerializerOptions), composed)
                    : null);
            var result = await create.HandleAsync(staff, request, ct);
            if (!result.IsSuccess)
            {
                return ProblemResults.From(result.Error!);
            }

            var id = result.Value.ConversationId.Value;
            // The answer composed in the transaction is still what a read would give unless this request saved again since
            // (an inline reaction: automation, assistant); then read it, as before.
            var summary = result.Value.Created && idempotency is { Stored: not null, ChangedSinceStored: false, StoredValue: ConversationSummaryDto saved } && saved.Id == id
                ? saved
                : await queries.SummaryAsync(result.Value.ConversationId, ct);
            var location = ConversationLocation(id);
            return result.Value.Created ? Results.Created(location, summary) : Results.Ok(summary);
        })
            .WithIdempotency()
            .WithSummary("Create a conversation on an API inbox with the customer's first message; it is routed like any other. "
                + "contact: an existing contact's id, or name + email and/or phone; optional priority, tags, teamId and externalId "
                + "(the same externalId on the inbox returns the existing conversation with 200); honours Idempotency-Key")
            .Produces<ConversationSummaryDto>(StatusCodes.Status201Created)
            .Produces<ConversationSummaryDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/conversations/{id:guid}", async (Guid id, ClaimsPrincipal user, AgentDirectory directory, ConversationQueries queries, CancellationToken ct) =>
        {
            var staff = await StaffAsync(user, directory, ct);
            if (staff is null)
            {
                return Results.Forbid();
            }

            var detail = await queries.DetailAsync(staff, new ConversationId(id), 200, ct);
            return detail is null ? ProblemResults.From(Error.NotFound("The conversation")) : Results.Ok(detail);
        })
            .WithSummary("One conversation with its contact, latest messages and timeline (404 when it does not exist or is not visible to the caller)")
            .Produces<ConversationDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/conversations/{id:guid}/messages", async (Guid id, string? cursor, int? limit, ClaimsPrincipal user, AgentDirectory directory, ConversationQueries queries, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var page = await queries.MessagePageAsync(staff, new ConversationId(id), cursor, limit, ct);
            return page switch
            {
                null => ProblemResults.From(Error.NotFound("The conversation")),
                { IsSuccess: true } ok => Results.Ok(ok.Value),
                { } failed => ProblemResults.From(failed.Error!),
            };
        })
            .WithTags("Messages")
            .WithSummary("A conversation's messages, oldest first, paged by cursor/limit")
            .Produces<Page<MessageDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/conversations/{id:guid}/messages", async (Guid id, PostMessageRequest request, ClaimsPrincipal user, AgentDirectory directory, SendAgentReplyHandler reply, ConversationQueries queries, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var result = await reply.HandleAsync(staff, new SendAgentReply(new ConversationId(id), request.Text ?? "", request.IsPrivate, request.ClientMessageId), ct);
            if (!result.IsSuccess)
            {
                return ProblemResults.From(result.Error!);
            }

            var message = await queries.MessageAsync(result.Value.MessageId, ct);
            return Results.Created($"/api/v1/conversations/{id}/messages/{result.Value.MessageId.Value}", message);
        })
            .WithIdempotency()
            .WithTags("Messages")
            .WithSummary("Send a reply (or a private note with isPrivate) as the caller; honours Idempotency-Key")
            .Produces<MessageDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        // The whole thread as a download: ?format=txt (default) or html; private notes only with notes=true.
        api.MapGet("/conversations/{id:guid}/transcript", async (Guid id, string? format, bool? notes, ClaimsPrincipal user, AgentDirectory directory,
            ContactCenter.Application.Conversations.Transcript.ConversationTranscripts transcripts, CancellationToken ct) =>
        {
            var staff = await StaffAsync(user, directory, ct);
            if (staff is null)
            {
                return Results.Forbid();
            }

            var transcript = await transcripts.GetAsync(staff, new ConversationId(id), notes ?? false, ct);
            if (!transcript.IsSuccess)
            {
                return ProblemResults.From(transcript.Error!);
            }

            return string.Equals(format, "html", StringComparison.OrdinalIgnoreCase)
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(transcript.Value.ToHtml()), "text/html; charset=utf-8", transcript.Value.FileName("html"))
                : Results.File(System.Text.Encoding.UTF8.GetBytes(transcript.Value.ToText()), "text/plain; charset=utf-8", transcript.Value.FileName("txt"));
        }).WithSummary("The conversation's transcript as a .txt or .html download");

        MapCannedResponses(app.MapGroup("/api/v1/canned-responses").RequireAuthorization(Policies.Staff).WithTags("Canned responses"));
        return app;
    }

    /// <summary>Saved answers: every agent lists the ones they may use; supervisors and admins create, change and delete them.</summary>
    private static void MapCannedResponses(RouteGroupBuilder canned)
    {
        canned.MapGet("/", async (ClaimsPrincipal user, AgentDirectory directory, CannedResponseService service, CancellationToken ct) =>
            await StaffAsync(user, directory, ct) is { } staff ? Results.Ok(await service.ListAsync(staff, ct)) : Results.Forbid())
            .WithSummary("Canned responses available to the caller (everyone's and their teams')")
            .Produces<IReadOnlyList<CannedResponseDto>>();

        canned.MapPost("/", async (SaveCannedResponse input, ClaimsPrincipal user, AgentDirectory directory, CannedResponseService service, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var result = await service.CreateAsync(staff, input, ct);
            return result.IsSuccess ? Results.Created($"/api/v1/canned-responses/{result.Value.Id}", result.Value) : ProblemResults.From(result.Error!);
        })
            .WithIdempotency()
            .RequireAuthorization(Policies.Supervisors)
            .WithSummary("Create a canned response (supervisors, admins); the text may use {{contact.name}}, {{contact.first_name}}, {{agent.name}}, {{conversation.number}}")
            .Produces<CannedResponseDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        canned.MapPut("/{id:guid}", async (Guid id, SaveCannedResponse input, ClaimsPrincipal user, AgentDirectory directory, CannedResponseService service, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var result = await service.UpdateAsync(staff, id, input, ct);
            return result.IsSuccess ? Results.Ok(result.Value) : ProblemResults.From(result.Error!);
        })
            .RequireAuthorization(Policies.Supervisors)
            .WithSummary("Change a canned response (supervisors, admins)")
            .Produces<CannedResponseDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        canned.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, AgentDirectory directory, CannedResponseService service, CancellationToken ct) =>
        {
            if (await StaffAsync(user, directory, ct) is not { } staff)
            {
                return Results.Forbid();
            }

            var result = await service.DeleteAsync(staff, id, ct);
            return result.IsSuccess ? Results.NoContent() : ProblemResults.From(result.Error!);
        })
            .RequireAuthorization(Policies.Supervisors)
            .WithSummary("Delete a canned response (supervisors, admins)")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private const string JsonContentType = "application/json; charset=utf-8";

    private static string ConversationLocation(Guid id) => $"/api/v1/conversations/{id}";

    internal static async Task<StaffMember?> StaffAsync(ClaimsPrincipal user, AgentDirectory directory, CancellationToken ct)
    {
        var agent = await directory.FindByUserIdAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", ct);
        return agent is null ? null : StaffMember.From(agent);
    }
}
