using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Infrastructure.Identity;

/// <summary>A staff sign-in account. The agent profile (teams, skills, presence) is the domain's Agent.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Supervisor = "Supervisor";
    public const string Agent = "Agent";

    public static readonly string[] All = [Admin, Supervisor, Agent];

    /// <summary>Comma list for [Authorize(Roles = …)]: anyone on staff.</summary>
    public const string Staff = "Admin,Supervisor,Agent";

    public const string Supervisors = "Admin,Supervisor";
}

/// <summary>A personal API token. Only its SHA-256 hash is stored; the value is shown once at creation.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public string Scopes { get; set; } = "read";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When set, the token is refused from this time on.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
