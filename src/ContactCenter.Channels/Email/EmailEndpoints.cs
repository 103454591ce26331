using System.Security.Claims;
using ContactCenter.Application.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Channels.Email;

public sealed record QuarantinedEmail(Guid Id, Guid InboxId, string Source, string Reason, string? Subject, string? From, long SizeBytes, DateTimeOffset ReceivedAt, string Status, DateTimeOffset? ReprocessedAt);

public sealed record ReprocessResult(string Outcome, Guid? ConversationId, string? Reason);

public static partial class EmailEndpoints
{
    public const string AdminRole = "Admin";

    /// <summary>The email quarantine under /api/v1/email/quarantine (admins only): list held mail, download the raw .eml, re-process.</summary>
    public static IEndpointRouteBuilder MapEmailEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/email/quarantine").WithTags("Email").RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(AdminRole));

        group.MapGet("/", async (bool? all, IEmailDbContext email, CancellationToken ct) =>
        {
            var query = email.EmailQuarantine.AsNoTracking();
            if (all != true)
            {
                query = query.Where(q => q.Status == QuarantineStatus.Held);
            }

            var items = await query.OrderByDescending(q => q.Id).Take(500).ToListAsync(ct);
            return Results.Ok(items.Select(q => new QuarantinedEmail(q.Id, q.InboxId.Value, q.Source, q.Reason, q.Subject, q.From, q.SizeBytes, q.ReceivedAt, q.Status.ToString(), q.ReprocessedAt)).ToList());
        });

        group.MapGet("/{id:guid}/raw", async (Guid id, IEmailDbContext email, Application.Files.IFileStorage storage, CancellationToken ct) =>
        {
            var item = await email.EmailQuarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
            var stream = item is null ? null : await storage.OpenReadAsync(item.RawKey, ct);
            return stream is null ? Results.NotFound() : Results.Stream(stream, "message/rfc822", $"quarantine-{id:N}.eml");
        });

        group.MapPost("/{id:guid}/reprocess", async (Guid id, EmailIngest ingest, CancellationToken ct) =>
        {
            var result = await ingest.ReprocessAsync(id, ct);
            if (!result.IsSuccess)
            {
                return Results.NotFound(result.Error!.Message);
            }

            var outcome = result.Value;
            return Results.Ok(new ReprocessResult(outcome.Kind.ToString(), outcome.ConversationId?.Value, outcome.Reason));
        });

        // Inbound files (email attachments and inline images, messaging-app media) for signed-in staff: images and PDFs recognised by content are served
        // as that type; everything else is a download. Never sniffed by the browser, never able to run anything.
        // Agents only get files of conversations they can see (other teams' files answer 404, as if absent).
        app.MapGet("/api/v1/email/files/{key}", async (string key, HttpContext http, Application.Files.IFileStorage storage, Application.Agents.AgentDirectory directory,
            Application.Files.FileOwnerCheck owners, CancellationToken ct) =>
        {
            if (!AttachmentKey().IsMatch(key)
                || await directory.FindByUserIdAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", ct) is not { } agent
                || !await owners.StaffMayReadAsync(Application.Common.StaffMember.From(agent), key, ct))
            {
                return Results.NotFound();
            }

            var stream = await storage.OpenReadAsync(key, ct);
            if (stream is null)
            {
                return Results.NotFound();
            }

            var type = await Application.Files.FileSniffer.DetectAsync(stream, ct);
            stream.Position = 0;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            headers.CacheControl = "private, max-age=3600";
            return type is { IsImage: true }
                ? Results.Stream(stream, type.ContentType, enableRangeProcessing: true)
                : Results.Stream(stream, type?.ContentType ?? "application/octet-stream", key, enableRangeProcessing: true);
        }).WithTags("Email").RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(AdminRole, "Supervisor", "Agent"));

        return app;
    }

    // Email attachments (e_) and messaging-app media (m_): both are indexed in FileOwners by the ingest that stored them.
    [System.Text.RegularExpressions.GeneratedRegex("^[em]_[0-9a-f]{32}_[0-9a-f]{32}(\\.[a-z0-9]{1,10})?$")]
    private static partial System.Text.RegularExpressions.Regex AttachmentKey();
}
