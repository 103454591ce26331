using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Audit;

/// <summary>Who did something: a staff user (id and sign-in name) from an address, or the system itself.</summary>
public sealed record AuditActor(string? UserId, string Name, string? Ip)
{
    public static readonly AuditActor System = new(null, "system", null);
}

/// <summary>
/// One sensitive action (a sign-in, a settings change, an export, an erasure…). Append-only: the database context refuses to
/// change or delete rows. Details hold ids and counts, never a customer's personal data (only the actor is named).
/// </summary>
public sealed class AuditEntry
{
    public const int MaxDetailsLength = 4000;

    private AuditEntry() { }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string? Ip { get; private set; }
    public string Action { get; private set; } = "";
    public string? Target { get; private set; }
    public string? Details { get; private set; }

    public static AuditEntry Create(AuditActor actor, string action, string? target, object? details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var json = details is null ? null : JsonSerializer.Serialize(details, JsonOptions);
        return new AuditEntry
        {
            Id = Guid.CreateVersion7(now),
            At = now,
            ActorId = actor.UserId,
            ActorName = Truncate(actor.Name, 256) ?? "",
            Ip = Truncate(actor.Ip, 64),
            Action = Truncate(action, 100) ?? "",
            Target = Truncate(target, 200),
            Details = Truncate(json, MaxDetailsLength),
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}

/// <summary>The audit table of the unit of work.</summary>
public interface IAuditDbContext
{
    DbSet<AuditEntry> AuditLog { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Action names (stable: filters, exports and alerting rules use them).</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SignInLockedOut = "signin.locked_out";
    public const string TwoFactorEnabled = "account.2fa_enabled";
    public const string TwoFactorDisabled = "account.2fa_disabled";
    public const string RecoveryCodesGenerated = "account.recovery_codes_generated";
    public const string RoleChanged = "user.role_changed";
    public const string TeamsChanged = "user.teams_changed";
    public const string ApiTokenCreated = "api_token.created";
    public const string ApiTokenRevoked = "api_token.revoked";
    public const string ContactExported = "contact.exported";
    public const string ContactErased = "contact.erased";
    public const string AuditExported = "audit.exported";
    public const string ConversationsExported = "report.conversations_exported";
    public const string RetentionDeleted = "retention.deleted";
    public const string SettingsChanged = "settings.changed";
    public const string WebhookSubscriptionCreated = "webhook_subscription.created";
    public const string WebhookSubscriptionUpdated = "webhook_subscription.updated";
    public const string WebhookSubscriptionDeleted = "webhook_subscription.deleted";
    public const string AgentPresenceSet = "agent.presence_set";
}
