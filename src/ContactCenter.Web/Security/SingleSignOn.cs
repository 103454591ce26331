using System.Security.Claims;
using ContactCenter.Application.Audit;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Web.Security;

/// <summary>
/// Optional OpenID Connect single sign-on (Entra ID, Okta, Keycloak, Google Workspace…), on only when
/// <c>Authentication:Oidc:Authority</c> is set. Staff accounts are not created by it: the identity provider's verified email
/// must belong to an existing, unlocked account, which is then signed in with the usual cookie. Settings:
/// <c>Authority</c>, <c>ClientId</c>, <c>ClientSecretKey</c> (the name of the configuration key holding the secret),
/// <c>DisplayName</c>. The redirect URI to register at the provider is <c>https://HOST/signin-oidc</c>.
/// </summary>
public static class SingleSignOn
{
    public const string Scheme = "oidc";
    public const string Section = "Authentication:Oidc";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration?[Section + ":Authority"]);

    public static void AddIfConfigured(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        if (!IsConfigured(configuration))
        {
            return;
        }

        var section = configuration.GetSection(Section);
        authentication.AddOpenIdConnect(Scheme, section["DisplayName"] ?? "Single sign-on", o =>
        {
            o.Authority = section["Authority"];
            o.ClientId = section["ClientId"];
            o.ClientSecret = section["ClientSecretKey"] is { Length: > 0 } key ? configuration[key] : null;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = "/signin-oidc";
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.Scope.Add("email");
        });
    }

    /// <summary>/account/sso (start) and /account/sso/callback (finish), mapped only when SSO is configured.</summary>
    public static void MapIfConfigured(IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return;
        }

        var group = app.MapGroup("/account/sso").ExcludeFromDescription().AllowAnonymous();
        group.MapGet("/", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = "/account/sso/callback?returnUrl=" + Uri.EscapeDataString(returnUrl ?? "/console") },
            [Scheme]));

        group.MapGet("/callback", async (string? returnUrl, HttpContext http, SignInManager<ApplicationUser> signIn, AuditLog audit) =>
        {
            var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            var claims = external.Principal;
            var email = claims?.FindFirstValue("email") ?? claims?.FindFirstValue(ClaimTypes.Email);
            var unverified = string.Equals(claims?.FindFirstValue("email_verified"), "false", StringComparison.OrdinalIgnoreCase);
            var user = email is null || unverified ? null : await signIn.UserManager.FindByEmailAsync(email);
            var ip = http.Connection.RemoteIpAddress?.ToString();
            if (user is null || await signIn.UserManager.IsLockedOutAsync(user))
            {
                await audit.WriteAsync(new AuditActor(user?.Id, user?.Email ?? "unknown account", ip), AuditActions.SignInFailed, user?.Id, new { method = "oidc" }, http.RequestAborted);
                return Results.LocalRedirect("/account/login?error=sso");
            }

            await signIn.SignInAsync(user, isPersistent: true, authenticationMethod: Scheme);
            await audit.WriteAsync(new AuditActor(user.Id, user.Email ?? user.Id, ip), AuditActions.SignInSucceeded, user.Id, new { method = "oidc" }, http.RequestAborted);
            return Results.LocalRedirect(Endpoints.AccountEndpoints.SafeReturnUrl(returnUrl));
        });
    }
}
