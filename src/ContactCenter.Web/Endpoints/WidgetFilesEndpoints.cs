using System.Security.Claims;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Files;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Web.Endpoints;

public sealed record WidgetAttachmentResponse(string Key, string FileName, string ContentType, long SizeBytes, string Url);

/// <summary>
/// Attachments: staff upload files for a reply (POST /api/v1/conversations/{id}/attachments, same checks, see AgentFiles);
/// web chat customers upload with their visitor token (POST /api/v1/widget/attachments, multipart field
/// "file"; images and PDFs recognised by content, size-limited), and files are served at GET /files/{key} to the visitor
/// who owns them or whose conversation an agent's file was uploaded for (visitor token), or to staff (cookie or API token). Anyone else gets 404, as if there were no such file.
/// </summary>
public static class WidgetFilesEndpoints
{
    public static IEndpointRouteBuilder MapWidgetFiles(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/widget/attachments", UploadAsync)
            .AllowAnonymous() // Authenticated below with the visitor scheme (a bearer visitor token is not a staff token).
            .DisableAntiforgery()
            .RequireCors(WebExtensions.WidgetCors)
            .RequireRateLimiting(RateLimits.Widget)
            .WithMetadata(new RequestSizeLimitAttribute(AttachmentOptions.DefaultMaxUploadBytes * 2))
            .WithTags("Widget")
            .WithSummary("Upload a file to send in the web chat (images and PDFs, checked by content)")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<WidgetAttachmentResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        app.MapPost("/api/v1/conversations/{id:guid}/attachments", UploadForAgentAsync)
            .RequireAuthorization(Policies.Staff)
            .WithMetadata(new RequestSizeLimitAttribute(AttachmentOptions.DefaultMaxUploadBytes * 2))
            .WithTags("Conversations")
            .WithSummary("Upload a file to attach to a reply in this conversation (images and PDFs, checked by content); send its key with the reply")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<WidgetAttachmentResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        app.MapGet("/files/{key}", DownloadAsync)
            .AllowAnonymous() // Visitor token or staff sign-in, checked below against the file's owner.
            .RequireCors(WebExtensions.WidgetCors)
            .WithTags("Widget")
            .WithSummary("An attachment, for the visitor who sent it or staff")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, VisitorFiles files, VisitorAccess access, CancellationToken ct)
    {
        var (ticket, refused) = await AllowedVisitorAsync(http, access, ct);
        if (ticket is null)
        {
            return refused!;
        }

        var file = await FileFieldAsync(http, files.MaxUploadBytes, ct);
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        await using var stream = file.File!.OpenReadStream();
        var uploaded = await files.UploadAsync(ticket.InboxId, ticket.ContactId, file.File.FileName, stream, file.File.Length, ct);
        if (!uploaded.IsSuccess)
        {
            return UploadProblem(uploaded.Error!);
        }

        var value = uploaded.Value;
        return Results.Ok(new WidgetAttachmentResponse(value.Key, value.FileName, value.ContentType, value.SizeBytes, $"/files/{value.Key}"));
    }

    /// <summary>An agent's file for a reply in a conversation they can view (same checks as the widget's uploads).</summary>
    private static async Task<IResult> UploadForAgentAsync(Guid id, HttpContext http, AgentDirectory directory, AgentFiles files, CancellationToken ct)
    {
        var agent = await directory.FindByUserIdAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", ct);
        if (agent is null)
        {
            return Results.Forbid();
        }

        var file = await FileFieldAsync(http, files.MaxUploadBytes, ct);
        if (file.Problem is not null)
        {
            return file.Problem;
        }

        await using var stream = file.File!.OpenReadStream();
        var uploaded = await files.UploadAsync(StaffMember.From(agent), new ConversationId(id), file.File.FileName, stream, file.File.Length, ct);
        if (!uploaded.IsSuccess)
        {
            return UploadProblem(uploaded.Error!);
        }

        var value = uploaded.Value;
        return Results.Ok(new WidgetAttachmentResponse(value.Key, value.FileName, value.ContentType, value.SizeBytes, $"/files/{value.Key}"));
    }

    /// <summary>The multipart field "file" of the request, or the problem to answer (not a form, too large, unreadable).</summary>
    private static async Task<(IFormFile? File, IResult? Problem)> FileFieldAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return (null, Results.Problem(detail: "Send the file as multipart/form-data in a field named \"file\".", statusCode: StatusCodes.Status400BadRequest));
        }

        if (http.Request.ContentLength > maxBytes + 64 * 1024)
        {
            return (null, UploadProblem(Domain.Common.Error.Validation("file.too_large", $"A file can be at most {maxBytes / (1024 * 1024.0):0.#} MB.")));
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return (null, Results.Problem(detail: "The upload could not be read.", statusCode: StatusCodes.Status400BadRequest));
        }

        return form.Files.GetFile("file") is { } file
            ? (file, null)
            : (null, Results.Problem(detail: "Send the file in a field named \"file\".", statusCode: StatusCodes.Status400BadRequest));
    }

    private static IResult UploadProblem(Domain.Common.Error error) =>
        error.Code == "validation.file.too_large"
            ? Results.Problem(detail: error.Message, statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["code"] = error.Code })
            : ProblemResults.From(error);

    private static async Task<IResult> DownloadAsync(string key, HttpContext http, VisitorFiles files, AgentFiles agentFiles, IFileStorage storage, IAuthorizationService authorization, AgentDirectory directory, CancellationToken ct)
    {
        var notFound = ProblemResults.From(Domain.Common.Error.NotFound("The file"));
        if (!VisitorFiles.IsValidKey(key))
        {
            return notFound;
        }

        var visitor = await VisitorAsync(http);
        var mayRead = visitor is not null
            ? key.StartsWith(VisitorFiles.OwnerPrefix(visitor.InboxId, visitor.ContactId), StringComparison.Ordinal)
                || await agentFiles.VisitorMayReadAsync(key, visitor.InboxId, visitor.ContactId, ct)
            : http.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(http.User, Policies.Staff)).Succeeded
                && await directory.FindByUserIdAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", ct) is { } agent
                && await agentFiles.StaffMayReadAsync(StaffMember.From(agent), key, ct); // other teams' files: 404, as if absent
        if (!mayRead)
        {
            return visitor is null && http.User.Identity?.IsAuthenticated != true
                ? Results.Problem(detail: "Sign in, or send your visitor token.", statusCode: StatusCodes.Status401Unauthorized)
                : notFound;
        }

        var info = await files.InspectAsync(key, ct);
        var stream = info is null ? null : await storage.OpenReadAsync(key, ct);
        if (info is null || stream is null)
        {
            return notFound;
        }

        // Served as exactly the sniffed type, never sniffed again by the browser, never able to run anything.
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, max-age=3600";
        return Results.Stream(stream, info.Value.Type.ContentType, info.Value.Type.IsImage ? null : key, enableRangeProcessing: true);
    }

    /// <summary>The visitor of the bearer visitor token when the inbox's policy lets them in from this page (origin, identity); else the problem to answer.</summary>
    internal static async Task<(VisitorTicket? Ticket, IResult? Problem)> AllowedVisitorAsync(HttpContext http, VisitorAccess access, CancellationToken ct)
    {
        var ticket = await VisitorAsync(http);
        if (ticket is null)
        {
            return (null, Results.Problem(detail: "A visitor token is needed.", statusCode: StatusCodes.Status401Unauthorized));
        }

        var origin = http.Request.Headers.Origin.Count > 0 ? http.Request.Headers.Origin.ToString() : null;
        var allowed = await access.CheckConnectionAsync(ticket.ContactId, ticket.InboxId, origin, ct);
        return allowed.IsSuccess ? (ticket, null) : (null, ProblemResults.From(allowed.Error!));
    }

    /// <summary>The visitor behind a bearer visitor token (header, or access_token on hub paths), if any.</summary>
    private static async Task<VisitorTicket?> VisitorAsync(HttpContext http)
    {
        if (BearerTokens.From(http.Request) is null)
        {
            return null;
        }

        var result = await http.AuthenticateAsync(VisitorClaims.Scheme);
        return result.Succeeded ? result.Principal.Ticket() : null;
    }
}
