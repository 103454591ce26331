using ContactCenter.Application.Audit;
using ContactCenter.Domain.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Integrations;

public sealed record WebhookSubscriptionInput(string Url, IReadOnlyList<string> Events, string? Description = null, bool Enabled = true);

public sealed record WebhookSubscriptionDto(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A created subscription and its signing secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhookSubscription(WebhookSubscriptionDto Subscription, string Secret);

public sealed record WebhookAttemptDto(int Number, DateTimeOffset At, int? StatusCode, int DurationMs, string? ResponseBody, string? Error);

public sealed record WebhookDeliveryDto(Guid Id, string Event, WebhookDeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? CompletedAt, int? LastStatusCode, string? LastError, IReadOnlyList<WebhookAttemptDto> AttemptLog);

/// <summary>Admins' management of outbound webhook subscriptions (every change audited), the test button and the delivery log.</summary>
public sealed class WebhookSubscriptionService(IIntegrationsDbContext db, WebhookQueue queue, IDataProtectionProvider protection, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<WebhookSubscriptionDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    public async Task<Result<CreatedWebhookSubscription>> CreateAsync(WebhookSubscriptionInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } error)
        {
            return error;
        }

        var secret = WebhookSignature.NewSecret();
        var subscription = WebhookSubscription.Create(input.Url.Trim(), Clean(input.Description), Events(input), input.Enabled,
            protection.CreateProtector(WebhookDispatcher.ProtectorPurpose).Protect(secret), time.GetUtcNow());
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        queue.Invalidate();
        await audit.WriteAsync(actor, AuditActions.WebhookSubscriptionCreated, subscription.Id.ToString(), new { url = subscription.Url, events = subscription.EventList }, cancellationToken);
        return new CreatedWebhookSubscription(ToDto(subscription), secret);
    }

    public async Task<Result<WebhookSubscriptionDto>> UpdateAsync(Guid id, WebhookSubscriptionInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } error)
        {
            return error;
        }

        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("The webhook subscription");
        }

        subscription.Change(input.Url.Trim(), Clean(input.Description), Events(input), input.Enabled, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        queue.Invalidate();
        await audit.WriteAsync(actor, AuditActions.WebhookSubscriptionUpdated, id.ToString(), new { url = subscription.Url, events = subscription.EventList, enabled = subscription.Enabled }, cancellationToken);
        return ToDto(subscription);
    }

    /// <summary>A new secret (the old one stops working at once); shown once.</summary>
    public async Task<Result<string>> RotateSecretAsync(Guid id, AuditActor actor, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("The webhook subscription");
        }

        var secret = WebhookSignature.NewSecret();
        subscription.RotateSecret(protection.CreateProtector(WebhookDispatcher.ProtectorPurpose).Protect(secret), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, AuditActions.WebhookSubscriptionUpdated, id.ToString(), new { secretRotated = true }, cancellationToken);
        return secret;
    }

    public async Task<Result> DeleteAsync(Guid id, AuditActor actor, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("The webhook subscription");
        }

        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        queue.Invalidate();
        await audit.WriteAsync(actor, AuditActions.WebhookSubscriptionDeleted, id.ToString(), new { url = subscription.Url }, cancellationToken);
        return Result.Success();
    }

    /// <summary>The "send test" button: one <c>ping</c> delivery to this subscription, whatever its events.</summary>
    public async Task<Result<Guid>> SendTestAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return Error.NotFound("The webhook subscription");
        }

        var ids = await queue.EnqueueAsync(WebhookEvents.Ping, new { message = "A test delivery from ContactCenter." }, null, cancellationToken, onlySubscription: id);
        return ids[0];
    }

    /// <summary>The latest deliveries of a subscription with every attempt, newest first.</summary>
    public async Task<Result<IReadOnlyList<WebhookDeliveryDto>>> DeliveriesAsync(Guid id, int take, CancellationToken cancellationToken)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return Error.NotFound("The webhook subscription");
        }

        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id)
            .OrderByDescending(d => d.CreatedAt).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        return deliveries.Select(d => new WebhookDeliveryDto(d.Id, d.Event, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.CompletedAt, d.LastStatusCode, d.LastError,
            attempts[d.Id].OrderBy(a => a.Number).Select(a => new WebhookAttemptDto(a.Number, a.At, a.StatusCode, a.DurationMs, a.ResponseBody, a.Error)).ToList())).ToList();
    }

    private static Error? Validate(WebhookSubscriptionInput input)
    {
        if (input is null || string.IsNullOrWhiteSpace(input.Url) || input.Url.Length > WebhookSubscription.MaxUrlLength
            || !Uri.TryCreate(input.Url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return Error.Validation("webhook.url", "The URL must be an absolute http(s) address without credentials.");
        }

        if (input.Events is not { Count: > 0 } || input.Events.Any(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)))
        {
            return Error.Validation("webhook.events", "Choose one or more of: " + string.Join(", ", WebhookEvents.All) + ".");
        }

        return input.Description is { Length: > 200 } ? Error.Validation("webhook.description", "A description is at most 200 characters.") : null;
    }

    private static IEnumerable<string> Events(WebhookSubscriptionInput input) => input.Events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static WebhookSubscriptionDto ToDto(WebhookSubscription s) => new(s.Id, s.Url, s.Description, s.EventList, s.Enabled, s.CreatedAt, s.UpdatedAt);
}
