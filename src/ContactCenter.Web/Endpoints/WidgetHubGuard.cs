using ContactCenter.Application.Visitors;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authentication;

namespace ContactCenter.Web.Endpoints;

/// <summary>
/// Guards /hubs/chat (negotiate and connect) with the inbox's policy before the hub runs: a page whose Origin is not in
/// the inbox's allowedOrigins, or (where the inbox requires identity) an unverified visitor, is refused with 403 problem details.
/// A missing or invalid visitor token is left to the hub's own authorization (401).
/// </summary>
public static class WidgetHubGuard
{
    public static IApplicationBuilder UseWidgetHubGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(ChatHub.Path, StringComparison.OrdinalIgnoreCase) || HttpMethods.IsOptions(context.Request.Method))
            {
                await next(context);
                return;
            }

            var authenticated = await context.AuthenticateAsync(VisitorClaims.Scheme);
            if (authenticated.Succeeded && authenticated.Principal.Ticket() is { } ticket)
            {
                var origin = context.Request.Headers.Origin.Count > 0 ? context.Request.Headers.Origin.ToString() : null;
                var access = context.RequestServices.GetRequiredService<VisitorAccess>();
                var allowed = await access.CheckConnectionAsync(ticket.ContactId, ticket.InboxId, origin, context.RequestAborted);
                if (!allowed.IsSuccess)
                {
                    var status = allowed.Error!.Code == "not_found" ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
                    await Results.Problem(detail: allowed.Error.Message, statusCode: status,
                        extensions: new Dictionary<string, object?> { ["code"] = allowed.Error.Code }).ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });
}
