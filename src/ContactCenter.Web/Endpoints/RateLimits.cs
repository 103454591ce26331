using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Web.Endpoints;

public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Widget = "widget";
    public const string Webhooks = "webhooks";

    /// <summary>Per client address: sign-in attempts and anonymous widget sessions. Over the limit: 429 with Retry-After.</summary>
    public static IServiceCollection AddContactCenterRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var signInPerMinute = config.GetValue("RateLimits:SignInPerMinute", 10);
        var widgetPerMinute = config.GetValue("RateLimits:WidgetSessionsPerMinute", 30);
        var webhooksPerMinute = config.GetValue("RateLimits:WebhooksPerMinute", 6000);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
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
        });
        return services;
    }
}
