using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

public sealed record WidgetSessionRequest(Guid InboxId, string? VisitorToken, string? Name);

public sealed record WidgetSessionResponse(string VisitorToken, Guid ContactId, string ContactName, string? Greeting, bool Resumed);

public static class WidgetEndpoints
{
    /// <summary>
    /// Anonymous by design (rate-limited): a widget asks for a visitor token, or renews the one it has.
    /// The token is what scopes a customer to their own conversations on /hubs/chat.
    /// </summary>
    public static IEndpointRouteBuilder MapWidgetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/widget/sessions", async (WidgetSessionRequest request, StartVisitorSessionHandler handler, VisitorTokenService tokens, CancellationToken ct) =>
        {
            var known = tokens.Read(request.VisitorToken);
            if (known is not null && known.InboxId.Value != request.InboxId)
            {
                known = null;
            }

            var result = await handler.HandleAsync(new StartVisitorSession(new InboxId(request.InboxId), known?.VisitorId, known?.ContactId, request.Name), ct);
            if (!result.IsSuccess)
            {
                return ProblemResults.From(result.Error!);
            }

            var session = result.Value;
            var token = tokens.Issue(new VisitorTicket(session.ContactId, session.InboxId, session.VisitorId));
            return Results.Ok(new WidgetSessionResponse(token, session.ContactId.Value, session.ContactName, session.Greeting, session.Resumed));
        })
        .AllowAnonymous()
        .RequireCors(WebExtensions.WidgetCors)
        .RequireRateLimiting(RateLimits.Widget)
        .WithTags("Widget")
        .WithSummary("Start or resume a web chat visitor session");

        app.MapGet("/api/v1/widget/config/{inboxId:guid}", async (Guid inboxId, WidgetConfigQuery query, CancellationToken ct) =>
            await query.GetAsync(new InboxId(inboxId), ct) is { } config
                ? Results.Ok(config)
                : ProblemResults.From(Error.NotFound("The chat inbox")))
        .AllowAnonymous()
        .RequireCors(WebExtensions.WidgetCors)
        .RequireRateLimiting(RateLimits.Widget)
        .WithTags("Widget")
        .WithSummary("The widget's settings: inbox name, greeting and the topics (teams) a customer can pick");
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
            _ when error.Code.StartsWith("conflict.", StringComparison.Ordinal) => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return Results.Problem(detail: error.Message, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = error.Code });
    }
}
