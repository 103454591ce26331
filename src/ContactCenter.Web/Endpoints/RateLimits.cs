using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Web.Endpoints;

public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Widget = "widget";
    public const string Webhooks = "webhooks";

    /// <summary>
    /// Per client address: sign-in attempts and anonymous widget sessions; per inbox: webhooks; per caller (user, else
    /// address): the staff REST API under /api/v1 (a global limiter, so every API endpoint is covered, also new ones).
    /// Over a limit: 429 with Retry-After and a problem-details body.
    /// </summary>
    public static IServiceCollection AddContactCenterRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var signInPerMinute = config.GetValue("RateLimits:SignInPerMinute", 10);
        var widgetPerMinute = config.GetValue("RateLimits:WidgetSessionsPerMinute", 30);
        var webhooksPerMinute = config.GetValue("RateLimits:WebhooksPerMinute", 6000);
        var apiPerMinute = config.GetValue("RateLimits:ApiPerMinute", 600);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ProblemResults.WriteAsync(http, StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"Rate limit reached; retry after {seconds} seconds.", ("retryAfterSeconds", seconds));
            };
            o.AddPolicy(SignIn, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(Widget, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = widgetPerMinute, Window = TimeSpan.FromMinutes(1) }));

            // Per inbox (providers send from many addresses): a flood against one webhook URL can't starve the others.
            o.AddPolicy(Webhooks, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Request.RouteValues["inboxId"]?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = webhooksPerMinute, Window = TimeSpan.FromMinutes(1) }));

            // The staff API (the widget's endpoints under /api/v1/widget have their own policy above).
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                IsStaffApi(ctx.Request.Path)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        "api|" + (ctx.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "?"),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = apiPerMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    private static bool IsStaffApi(PathString path) =>
        path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/api/v1/widget", StringComparison.OrdinalIgnoreCase);
}
