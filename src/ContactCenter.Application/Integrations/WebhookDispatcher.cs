using System.Diagnostics;
using System.Text;
using ContactCenter.Application.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Integrations;

/// <summary>Configuration <c>Integrations:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Integrations:Webhooks";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a delivery is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A receiver that does not answer within this is a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; set; } = 20;
}

/// <summary>
/// Sends queued webhook deliveries: claims due rows with a lease (safe on several nodes), POSTs the signed body, logs every
/// attempt (status, duration, the start of the answer), retries non-2xx answers, timeouts and network errors with backoff
/// and jitter, and marks the delivery failed after <see cref="WebhookOptions.MaxAttempts"/>.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookSignal signal,
    IHttpClientFactory http,
    IDataProtectionProvider protection,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : QueuePump(signal, logger)
{
    public const string HttpClientName = "webhooks";
    public const string ProtectorPurpose = "ContactCenter.WebhookSecret.v1";
    private readonly WebhookOptions _options = options.Value;

    protected override TimeSpan PollInterval => _options.PollInterval;

    protected override int BatchSize => _options.BatchSize;

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        foreach (var id in claimed)
        {
            await DeliverAsync(id, cancellationToken);
        }

        return claimed.Count;
    }

    private async Task<List<Guid>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deliveries = scope.ServiceProvider.GetRequiredService<IIntegrationsDbContext>().WebhookDeliveries;
        var now = time.GetUtcNow();
        var due = await deliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        var claimed = new List<Guid>(due.Count);
        var leaseUntil = now + _options.Lease;
        foreach (var id in due)
        {
            // The conditional update is the claim: of several nodes only one sees a row change.
            if (await deliveries.Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken) == 1)
            {
                claimed.Add(id);
            }
        }

        return claimed;
    }

    private async Task DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IIntegrationsDbContext>();
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null || delivery.Status != WebhookDeliveryStatus.Pending)
        {
            return;
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var (status, response, error) = subscription is null
            ? (null, null, "The subscription no longer exists.")
            : await PostAsync(subscription, delivery, cancellationToken);
        clock.Stop();
        var now = time.GetUtcNow();
        db.WebhookAttempts.Add(WebhookAttempt.Record(delivery.Id, delivery.Attempts + 1, started, status, clock.Elapsed, response, error));
        if (status is >= 200 and < 300)
        {
            delivery.Delivered(status.Value, now);
            LogDelivered(logger, delivery.Id, delivery.Event, status.Value, delivery.Attempts);
        }
        else
        {
            var reason = error ?? $"HTTP {status}";
            var final = subscription is null || delivery.Attempts + 1 >= _options.MaxAttempts;
            delivery.AttemptFailed(status, reason, now, final ? null : now + RetryBackoff.After(delivery.Attempts + 1, _options.InitialBackoff, _options.MaxBackoff));
            if (final)
            {
                LogFailed(logger, delivery.Id, delivery.Event, delivery.Attempts, LogRedaction.Text(reason));
            }
            else
            {
                LogRetry(logger, delivery.Id, delivery.Event, delivery.Attempts, delivery.NextAttemptAt, LogRedaction.Text(reason));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(int? Status, string? Response, string? Error)> PostAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = protection.CreateProtector(ProtectorPurpose).Unprotect(subscription.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (null, null, "The signing secret cannot be read (data-protection keys changed): rotate it.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), delivery.Payload));
        request.Headers.Add(WebhookSignature.EventHeader, delivery.Event);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.UserAgent.ParseAdd("ContactCenter-Webhooks/1.0");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadStartAsync(response.Content, timeout.Token);
            return ((int)response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return (null, null, ex.Message);
        }
    }

    /// <summary>The first <see cref="WebhookAttempt.MaxResponseLength"/> characters of the answer (the rest is not read).</summary>
    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[WebhookAttempt.MaxResponseLength];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return new string(buffer, 0, read);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({Event}) answered {Status} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, string @event, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} ({Event}) failed (attempt {Attempt}), retrying at {RetryAt}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, string @event, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} ({Event}) failed for good after {Attempts} attempt(s): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, string @event, int attempts, string error);
}
