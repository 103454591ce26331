using System.Security.Claims;
using System.Text.Encodings.Web;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web.Security;

/// <summary>
/// Short-lived tokens that let a signed-in console (a Blazor circuit) open its own SignalR connection to
/// /hubs/agent as the same user. Prefix "ct_"; data-protected, so every node with the shared keys accepts them.
/// </summary>
public sealed class ConsoleTokenService(IDataProtectionProvider provider)
{
    public const string Prefix = "ct_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("ContactCenter.ConsoleToken.v1").ToTimeLimitedDataProtector();

    public string Issue(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");
        var roles = string.Join(',', user.FindAll(ClaimTypes.Role).Select(r => r.Value));
        return Prefix + _protector.Protect($"{id}|{roles}|{user.Identity?.Name}", Lifetime);
    }

    public ClaimsPrincipal? Read(string token, string scheme)
    {
        try
        {
            var parts = _protector.Unprotect(token[Prefix.Length..]).Split('|', 3);
            if (parts.Length != 3)
            {
                return null;
            }

            var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, parts[0]), new(ClaimTypes.Name, parts[2]) };
            claims.AddRange(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>Staff bearer tokens: personal API tokens ("cc_…", hashed in the database) and console tokens ("ct_…").</summary>
public sealed class StaffTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ConsoleTokenService consoleTokens,
    ApiTokenService apiTokens,
    UserManager<ApplicationUser> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StaffToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerTokens.From(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (token.StartsWith(ConsoleTokenService.Prefix, StringComparison.Ordinal))
        {
            var principal = consoleTokens.Read(token, SchemeName);
            return principal is null
                ? AuthenticateResult.Fail("The console token is invalid or expired.")
                : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
        }

        var identity = await apiTokens.ValidateAsync(token, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API token is invalid or revoked.");
        }

        var user = await users.FindByIdAsync(identity.UserId);
        if (user is null || (user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow))
        {
            return AuthenticateResult.Fail("The token's account is disabled.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(ApiScopeEnforcement.ScopesClaim, identity.Scopes),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
