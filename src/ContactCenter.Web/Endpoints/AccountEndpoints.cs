using System.Security.Claims;
using ContactCenter.Application.Audit;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Web.Endpoints;

public static class AccountEndpoints
{
    /// <summary>Cookie sign-in and sign-out for the staff pages (form posts with antiforgery), the second factor, and TOTP enrolment.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();

        group.MapPost("/signin", async (
            [FromForm] string email,
            [FromForm] string password,
            [FromForm] string? returnUrl,
            HttpContext http,
            SignInManager<ApplicationUser> signIn,
            AuditLog audit) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var result = await signIn.PasswordSignInAsync(email ?? "", password ?? "", isPersistent: true, lockoutOnFailure: true);
            var user = await signIn.UserManager.FindByEmailAsync(email ?? "");
            var actor = new AuditActor(user?.Id, user?.Email ?? "unknown account", http.Connection.RemoteIpAddress?.ToString());
            if (result.Succeeded)
            {
                await audit.WriteAsync(actor, AuditActions.SignInSucceeded, user?.Id, new { method = "password" }, http.RequestAborted);
                return Results.LocalRedirect(target);
            }

            if (result.RequiresTwoFactor)
            {
                return Results.LocalRedirect($"/account/2fa?returnUrl={Uri.EscapeDataString(target)}");
            }

            // An unknown address is recorded without the address typed (it may be anyone's personal data).
            await audit.WriteAsync(actor, result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed, user?.Id, new { method = "password" }, http.RequestAborted);
            var error = result.IsLockedOut ? "locked" : "invalid";
            return Results.LocalRedirect($"/account/login?error={error}&returnUrl={Uri.EscapeDataString(target)}");
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);

        // The second step: the password was right (Identity's two-factor cookie says whose), now a TOTP or a recovery code.
        group.MapPost("/2fa", async (
            [FromForm] string code,
            [FromForm] string? returnUrl,
            [FromForm] bool? recovery,
            HttpContext http,
            SignInManager<ApplicationUser> signIn,
            AuditLog audit) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var user = await signIn.GetTwoFactorAuthenticationUserAsync();
            if (user is null)
            {
                return Results.LocalRedirect($"/account/login?returnUrl={Uri.EscapeDataString(target)}");
            }

            // Recovery codes are stored as issued ("xxxxx-xxxxx"); authenticator codes lose the spaces and dashes people type.
            var result = recovery == true
                ? await signIn.TwoFactorRecoveryCodeSignInAsync((code ?? "").Replace(" ", "", StringComparison.Ordinal))
                : await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactorEnrolment.Clean(code), isPersistent: true, rememberClient: false);
            var actor = new AuditActor(user.Id, user.Email ?? user.Id, http.Connection.RemoteIpAddress?.ToString());
            var method = recovery == true ? "recovery_code" : "totp";
            if (result.Succeeded)
            {
                await audit.WriteAsync(actor, AuditActions.SignInSucceeded, user.Id, new { method }, http.RequestAborted);
                return Results.LocalRedirect(target);
            }

            await audit.WriteAsync(actor, result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed, user.Id, new { method }, http.RequestAborted);
            return result.IsLockedOut
                ? Results.LocalRedirect($"/account/login?error=locked&returnUrl={Uri.EscapeDataString(target)}")
                : Results.LocalRedirect($"/account/2fa?error=invalid&returnUrl={Uri.EscapeDataString(target)}");
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);

        // A form post from our own pages only: without the antiforgery token (which another site cannot read) nobody is signed out.
        group.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery, SignInManager<ApplicationUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(detail: "Sign out from the app's own page (the antiforgery token is missing or invalid).", statusCode: StatusCodes.Status400BadRequest);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        });

        SingleSignOn.MapIfConfigured(app, app.ServiceProvider.GetRequiredService<IConfiguration>());
        MapTwoFactorEnrolment(app.MapGroup("/api/v1/account/2fa").RequireAuthorization(Policies.Staff).WithTags("Account"));
        return app;
    }

    /// <summary>TOTP enrolment of the signed-in user (see <see cref="TwoFactorEnrolment"/>).</summary>
    private static void MapTwoFactorEnrolment(RouteGroupBuilder group)
    {
        group.MapGet("/", async (ClaimsPrincipal user, TwoFactorEnrolment twoFactor) => Answer(await twoFactor.StatusAsync(user)))
            .WithSummary("Whether two-factor sign-in is on, and how many recovery codes are left")
            .Produces<TwoFactorStatus>();

        group.MapPost("/setup", async (ClaimsPrincipal user, TwoFactorEnrolment twoFactor) => Answer(await twoFactor.SetupAsync(user)))
            .WithSummary("Start TOTP enrolment: a new shared key, its otpauth:// URI and a QR code (SVG) for an authenticator app")
            .Produces<TwoFactorSetup>()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/enable", async (TwoFactorCode input, HttpContext http, TwoFactorEnrolment twoFactor) =>
            Answer(await twoFactor.EnableAsync(http.User, input?.Code, http.Connection.RemoteIpAddress?.ToString())))
            .WithSummary("Confirm enrolment with a current code: two-factor sign-in is on; answers 10 one-time recovery codes (shown once)")
            .Produces<RecoveryCodes>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/recovery-codes", async (HttpContext http, TwoFactorEnrolment twoFactor) =>
            Answer(await twoFactor.NewRecoveryCodesAsync(http.User, http.Connection.RemoteIpAddress?.ToString())))
            .WithSummary("New recovery codes (the old ones stop working)")
            .Produces<RecoveryCodes>()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/disable", async (HttpContext http, TwoFactorEnrolment twoFactor) =>
        {
            var result = await twoFactor.DisableAsync(http.User, http.Connection.RemoteIpAddress?.ToString());
            return result.IsSuccess ? Results.NoContent() : ProblemResults.From(result.Error!);
        })
            .WithSummary("Switch two-factor sign-in off (the key is replaced)");
    }

    private static IResult Answer<T>(Domain.Common.Result<T> result) =>
        result.IsSuccess ? Results.Ok(result.Value) : ProblemResults.From(result.Error!);

    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/console";
}
