using System.Globalization;
using System.Threading.RateLimiting;
using ContactCenter.Application.Knowledge;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Web.Endpoints;

/// <param name="UserId">The host site's signed-in user (optional), vouched for by <paramref name="UserHash"/>: hex HMAC-SHA256 of the user id keyed with the inbox secret.</param>
public sealed record WidgetSessionRequest(Guid InboxId, string? VisitorToken, string? Name, string? UserId = null, string? UserHash = null);

/// <param name="Verified">The visitor is the host site's verified user (history follows them across devices).</param>
public sealed record WidgetSessionResponse(string VisitorToken, Guid ContactId, string ContactName, string? Greeting, bool Resumed, bool Verified = false);

/// <summary>The widget's offline form (outside business hours or with no agent available). <paramref name="ClientId"/> makes retries safe.</summary>
public sealed record WidgetOfflineRequest(string? ClientId, string? Name, string? Email, string? Message);

/// <param name="Reference">The ticket number the customer can quote ([#1234] in the email replies).</param>
public sealed record WidgetOfflineResponse(long Reference, bool Duplicate);

public static class WidgetEndpoints
{
    /// <summary>
    /// Anonymous by design (rate-limited): a widget asks for a visitor token, or renews the one it has.
    /// The token is what scopes a customer to their own conversations on /hubs/chat.
    /// </summary>
    public static IEndpointRouteBuilder MapWidgetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/widget/sessions", async (WidgetSessionRequest request, HttpRequest http, StartVisitorSessionHandler handler, VisitorTokenService tokens, CancellationToken ct) =>
        {
            var known = tokens.Read(request.VisitorToken);
            if (known is not null && known.InboxId.Value != request.InboxId)
            {
                known = null;
            }

            var origin = http.Headers.Origin.Count > 0 ? http.Headers.Origin.ToString() : null;
            var result = await handler.HandleAsync(
                new StartVisitorSession(new InboxId(request.InboxId), known?.VisitorId, known?.ContactId, request.Name, request.UserId, request.UserHash, origin), ct);
            if (!result.IsSuccess)
            {
                return ProblemResults.From(result.Error!);
            }

            var session = result.Value;
            var token = tokens.Issue(new VisitorTicket(session.ContactId, session.InboxId, session.VisitorId));
            return Results.Ok(new WidgetSessionResponse(token, session.ContactId.Value, session.ContactName, session.Greeting, session.Resumed, session.Verified));
        })
        .AllowAnonymous()
        .RequireCors(WebExtensions.WidgetCors)
        .RequireRateLimiting(RateLimits.Widget)
        .WithTags("Widget")
        .WithSummary("Start or resume a web chat visitor session")
        .WithDescription("Anonymous and rate-limited. Where the inbox sets allowedOrigins, only those Origin headers are accepted (403). " +
            "userId + userHash (hex HMAC-SHA256 of the user id with the inbox secret) identify the host site's signed-in user; " +
            "a hash that does not verify is refused (403) and, where the inbox sets requireIdentity, so is a visitor without one (401). Nothing is stored for a refused request.")
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/v1/widget/config/{inboxId:guid}", async (Guid inboxId, WidgetConfigQuery query, CancellationToken ct) =>
            await query.GetAsync(new InboxId(inboxId), ct) is { } config
                ? Results.Ok(config)
                : ProblemResults.From(Error.NotFound("The chat inbox")))
        .AllowAnonymous()
        .RequireCors(WebExtensions.WidgetCors)
        .RequireRateLimiting(RateLimits.Widget)
        .WithTags("Widget")
        .WithSummary("The widget's settings: inbox name, greeting and the topics (teams) a customer can pick");

        app.MapPost("/api/v1/widget/offline-messages", async (WidgetOfflineRequest request, HttpContext http, VisitorAccess access, SubmitOfflineMessageHandler handler, CancellationToken ct) =>
        {
            var (ticket, refused) = await WidgetFilesEndpoints.AllowedVisitorAsync(http, access, ct);
            if (ticket is null)
            {
                return refused!;
            }

            var result = await handler.HandleAsync(new SubmitOfflineMessage(ticket.InboxId, ticket.VisitorId, request.ClientId, request.Name, request.Email, request.Message), ct);
            return result.IsSuccess
                ? Results.Ok(new WidgetOfflineResponse(result.Value.Reference, result.Value.Duplicate))
                : ProblemResults.From(result.Error!);
        })
        .AllowAnonymous() // Authenticated in the handler with the visitor scheme, like the widget's uploads.
        .RequireCors(WebExtensions.WidgetCors)
        .RequireRateLimiting(RateLimits.Widget)
        .WithTags("Widget")
        .WithSummary("Leave a message from the widget's offline form: it becomes an email conversation answered by email")
        .WithDescription("Needs the visitor token (Authorization: Bearer). The email inbox is the web chat inbox's offlineEmailInboxId, else the first email inbox. " +
            "Validated (400 with code validation.offline.*), idempotent on clientId per visitor (a retry answers duplicate: true), " +
            "at most Widget:Forms:OfflineMessagesPerHour per visitor (429); committed before the answer.")
        .Produces<WidgetOfflineResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // The knowledge base for the widget (self-service while the customer types): public articles only, callable from any site.
        var kb = app.MapGroup("/api/v1/widget/kb").WithTags("Widget").AllowAnonymous().RequireCors(WebExtensions.WidgetCors)
            .RequireRateLimiting(new WidgetKnowledgeLimit());
        kb.MapGet("/search", async (string? q, int? limit, string? locale, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var result = await queries.SearchAsync(q, Math.Clamp(limit ?? 3, 1, 10), locale, null, staff: false, ct);
            return result.IsSuccess
                ? Results.Ok(result.Value.Select(h => new KnowledgeSearchResult(h.Slug, h.Title, h.Score, h.Snippet, h.Locale, h.Category,
                    "public", KnowledgeEndpoints.ArticleUrl(h.Locale, h.Category, h.Slug))).ToList())
                : ProblemResults.From(result.Error!);
        })
        .WithSummary("Public articles matching what the customer is typing (same shape as /api/v1/kb/search)")
        .Produces<List<KnowledgeSearchResult>>();
        kb.MapGet("/articles/{locale}/{slug}", async (string locale, string slug, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var article = await queries.GetAsync(locale, slug, staff: false, ct);
            return article is null
                ? ProblemResults.From(Error.NotFound("The article"))
                : Results.Ok(new KnowledgeArticleResult(article.Slug, article.Locale, article.Title, article.Category, article.Tags, "public",
                    article.Updated, article.Html, KnowledgeEndpoints.ArticleUrl(article.Locale, article.Category, article.Slug)));
        })
        .WithSummary("One public article with its sanitised HTML, for reading inside the widget")
        .Produces<KnowledgeArticleResult>()
        .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}

public static class ProblemResults
{
    /// <summary>RFC 7807 problem details for an expected failure, with its stable code.</summary>
    public static IResult From(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Code switch
        {
            "not_found" => StatusCodes.Status404NotFound,
            "forbidden" => StatusCodes.Status403Forbidden,
            "unauthorized" => StatusCodes.Status401Unauthorized,
            _ when error.Code.StartsWith("forbidden.", StringComparison.Ordinal) => StatusCodes.Status403Forbidden,
            _ when error.Code.StartsWith("unauthorized.", StringComparison.Ordinal) => StatusCodes.Status401Unauthorized,
            _ when error.Code.StartsWith("conflict.", StringComparison.Ordinal) => StatusCodes.Status409Conflict,
            "rate_limited" => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };
        return Results.Problem(detail: error.Message, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = error.Code });
    }

    /// <summary>Writes problem details from middleware (rate limits, scopes, idempotency): the status, a stable code and more fields.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string detail, params (string Name, object Value)[] more)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (name, value) in more)
        {
            problem.Extensions[name] = value;
        }

        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}

/// <summary>The widget's knowledge search per client address: RateLimits:WidgetKnowledgePerMinute (default 120).</summary>
internal sealed class WidgetKnowledgeLimit : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var permits = Math.Max(1, httpContext.RequestServices.GetRequiredService<IConfiguration>().GetValue("RateLimits:WidgetKnowledgePerMinute", 120));
        return RateLimitPartition.GetFixedWindowLimiter(
            "widget-kb|" + (httpContext.Connection.RemoteIpAddress?.ToString() ?? "?") + "|" + permits.ToString(CultureInfo.InvariantCulture),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });
    }
}
