using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Web.Security;

public static class Policies
{
    public const string Staff = "Staff";
    public const string Supervisors = "Supervisors";
    public const string Visitor = "Visitor";
}

public static class SecurityExtensions
{
    /// <summary>
    /// Cookie sign-in for the pages, bearer tokens for API and hub clients, visitor tokens for customers.
    /// Everything requires an authenticated user unless it says otherwise (fallback policy).
    /// </summary>
    public static IServiceCollection AddContactCenterSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<VisitorTokenService>();
        services.AddScoped<TwoFactorEnrolment>();
        services.AddSingleton<ConsoleTokenService>();

        var authentication = services.AddAuthentication(o =>
            {
                // Identity sets its cookie as the default; every default goes through the selector instead.
                o.DefaultScheme = "Smart";
                o.DefaultAuthenticateScheme = "Smart";
                o.DefaultChallengeScheme = "Smart";
                o.DefaultForbidScheme = "Smart";
            })
            .AddPolicyScheme("Smart", "Cookie or bearer", o => o.ForwardDefaultSelector = ctx =>
                BearerTokens.From(ctx.Request) is not null && !ctx.Request.Path.StartsWithSegments("/hubs/chat", StringComparison.OrdinalIgnoreCase)
                    ? StaffTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, StaffTokenAuthenticationHandler>(StaffTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, VisitorAuthenticationHandler>(VisitorClaims.Scheme, null);
        SingleSignOn.AddIfConfigured(authentication, configuration);

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "cc.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Policies.Supervisors, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Supervisor))
            .AddPolicy(Policies.Visitor, p => p.AddAuthenticationSchemes(VisitorClaims.Scheme).RequireAuthenticatedUser()
                .RequireClaim(VisitorClaims.ContactId));
        return services;
    }

    // APIs and hubs answer 401/403; only pages redirect to the sign-in page.
    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/files"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
