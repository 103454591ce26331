using System.Security.Claims;
using System.Text.Encodings.Web;
using ContactCenter.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web.Security;

/// <summary>What a widget visitor's token proves: which contact on which inbox they are.</summary>
public sealed record VisitorTicket(ContactId ContactId, InboxId InboxId, string VisitorId);

/// <summary>
/// Issues and checks the customers' visitor tokens: data-protected (authenticated encryption, keys shared
/// by every node), time-limited, scoped to one contact on one inbox. A forged or altered token fails to unprotect.
/// </summary>
public sealed class VisitorTokenService(IDataProtectionProvider provider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("ContactCenter.VisitorToken.v1").ToTimeLimitedDataProtector();

    public string Issue(VisitorTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return _protector.Protect($"{ticket.ContactId.Value:N}|{ticket.InboxId.Value:N}|{ticket.VisitorId}", Lifetime);
    }

    public VisitorTicket? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|', 3);
            return parts.Length == 3 && Guid.TryParse(parts[0], out var contact) && Guid.TryParse(parts[1], out var inbox)
                ? new VisitorTicket(new ContactId(contact), new InboxId(inbox), parts[2])
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public static class VisitorClaims
{
    public const string Scheme = "Visitor";
    public const string ContactId = "cc:contact";
    public const string InboxId = "cc:inbox";
    public const string VisitorId = "cc:visitor";

    public static VisitorTicket? Ticket(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var contact = user.FindFirst(ContactId)?.Value;
        var inbox = user.FindFirst(InboxId)?.Value;
        var visitor = user.FindFirst(VisitorId)?.Value;
        return Guid.TryParse(contact, out var c) && Guid.TryParse(inbox, out var i) && visitor is not null
            ? new VisitorTicket(new ContactId(c), new InboxId(i), visitor)
            : null;
    }
}

/// <summary>Authenticates customers on /hubs/chat by their visitor token (query `access_token`, as browsers' WebSockets cannot send headers).</summary>
public sealed class VisitorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    VisitorTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerTokens.From(Request);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var ticket = tokens.Read(token);
        if (ticket is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The visitor token is invalid or expired."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(VisitorClaims.ContactId, ticket.ContactId.Value.ToString()),
                new Claim(VisitorClaims.InboxId, ticket.InboxId.Value.ToString()),
                new Claim(VisitorClaims.VisitorId, ticket.VisitorId),
            ],
            VisitorClaims.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), VisitorClaims.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"visitor\", error=\"invalid_token\"";
        return Task.CompletedTask;
    }
}

public static class BearerTokens
{
    /// <summary>The token from `Authorization: Bearer …`, or from `access_token` on hub requests.</summary>
    public static string? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
            && request.Query.TryGetValue("access_token", out var fromQuery))
        {
            return fromQuery.ToString();
        }

        return null;
    }
}
