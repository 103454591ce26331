namespace ContactCenter.Web.Security;

/// <summary>
/// Headers on every response: no MIME sniffing, no framing of our pages by other sites (clickjacking on the console),
/// no referrer leaking paths to other origins, no camera/microphone/geolocation. Responses that set their own
/// Content-Security-Policy (the widget demo page, served files) keep it.
/// </summary>
public static class SecurityHeaders
{
    public const string DefaultPolicy = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers.XFrameOptions = "DENY"; // antiforgery's SAMEORIGIN is not enough: nothing of ours is framed
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = DefaultPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
