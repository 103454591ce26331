namespace ContactCenter.Web.Security;

/// <summary>
/// Headers on every response: no MIME sniffing, no framing of our pages by other sites (clickjacking on the console),
/// no referrer leaking paths to other origins, no camera/microphone/geolocation. Responses that set their own
/// Content-Security-Policy (the widget demo page, served files) keep it.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Pages and API answers: scripts only from our own origin (no inline script, no eval), so injected markup cannot run
    /// even if it slipped past the sanitiser. Styles allow inline (MudBlazor sets style attributes); images also data:/blob:
    /// (thumbnails). Never framed by anyone.
    /// </summary>
    public const string DefaultPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

    /// <summary>
    /// The interactive API reference (Scalar) starts itself with an inline script, so its page alone allows inline
    /// script; it shows only our own OpenAPI document.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

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
                    headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase)
                        ? ApiReferencePolicy
                        : DefaultPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
