using System.Security.Claims;
using ContactCenter.Application.Audit;

namespace ContactCenter.Web.Security;

public static class AuditActors
{
    /// <summary>The signed-in caller of a request and the address it came from.</summary>
    public static AuditActor From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return From(context.User, context.Connection.RemoteIpAddress?.ToString());
    }

    public static AuditActor From(ClaimsPrincipal user, string? ip)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name ?? "anonymous", ip);
    }
}
