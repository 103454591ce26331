using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Webhooks;

/// <summary>Configuration <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    /// <summary>Largest accepted webhook body (default 1 MB; media are fetched separately).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How often stored webhooks are looked for when nothing signalled (retries, other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxAttempts { get; set; } = 6;

    public int BatchSize { get; set; } = 20;

    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public bool ProcessInBackground { get; set; } = true;
}

/// <summary>
/// Turns stored webhooks into messages and delivery updates, oldest first. Each item is claimed with a lease (safe on
/// several nodes), processed in its own scope, and marked processed, ignored (nothing in it for us, with the reason) or
/// retried with exponential backoff; after MaxAttempts it is failed with the error kept on the row.
/// </summary>
public sealed class WebhookProcessor(IServiceScopeFactory scopes, WebhookSignal signal, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookProcessor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ProcessInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessDueAsync(stoppingToken) > 0)
                {
                    // Keep draining while there is work.
                }

                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(ex, "The webhook processor failed; retrying shortly.");
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Claims and processes one batch of due webhooks; returns how many were claimed.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox;
            var due = await inbox.AsNoTracking()
                .Where(w => w.Status == WebhookStatus.Pending && w.NextAttemptAt <= now && (w.LeaseUntil == null || w.LeaseUntil < now))
                .OrderBy(w => w.NextAttemptAt).ThenBy(w => w.Id)
                .Select(w => w.Id)
                .Take(options.Value.BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return 0;
            }

            // One statement claims the batch (safe against other nodes); the lease value, unique to this claim, tells which rows we won.
            var lease = now + options.Value.Lease + TimeSpan.FromTicks(Random.Shared.Next(1, 1_000_000));
            await inbox
                .Where(w => due.Contains(w.Id) && w.Status == WebhookStatus.Pending && (w.LeaseUntil == null || w.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, lease), cancellationToken);
            claimed = await inbox.AsNoTracking().Where(w => due.Contains(w.Id) && w.LeaseUntil == lease).OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        }

        var outcomes = new List<(Guid Id, (WebhookStatus Status, string? Note)? Done, string? Failure)>(claimed.Count);
        foreach (var id in claimed)
        {
            outcomes.Add(await ProcessOneAsync(id, cancellationToken));
        }

        await RecordOutcomesAsync(outcomes, cancellationToken);
        return claimed.Count;
    }

    /// <summary>
    /// Handles one claimed webhook in its own scope; its messages are committed by the ingest. The outcome is recorded with
    /// the batch's others in one save (<see cref="RecordOutcomesAsync"/>): if the node stops in between, the lease runs
    /// out and the webhook is handled again, which stores nothing twice (message external ids are unique per inbox).
    /// </summary>
    private async Task<(Guid Id, (WebhookStatus Status, string? Note)? Done, string? Failure)> ProcessOneAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var item = await sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().FirstAsync(w => w.Id == id, cancellationToken);
        try
        {
            return (id, await HandleAsync(sp, item, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Webhook {WebhookId} ({Channel}) failed on attempt {Attempt}.", item.Id, item.Channel, item.Attempts + 1);
            return (id, null, ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Marks a batch processed, ignored or to be retried (with backoff; failed after MaxAttempts) in one save.</summary>
    private async Task RecordOutcomesAsync(IReadOnlyList<(Guid Id, (WebhookStatus Status, string? Note)? Done, string? Failure)> outcomes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inboxDb = scope.ServiceProvider.GetRequiredService<IWebhookInboxDbContext>();
        var ids = outcomes.Select(o => o.Id).ToList();
        var items = await inboxDb.WebhookInbox.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        var completedAt = time.GetUtcNow();
        foreach (var (id, done, failure) in outcomes)
        {
            var item = items[id];
            if (done is { } outcome)
            {
                item.Completed(outcome.Status, outcome.Note, completedAt);
            }
            else
            {
                DateTimeOffset? retryAt = item.Attempts + 1 >= options.Value.MaxAttempts
                    ? null
                    : completedAt + TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, item.Attempts + 1)));
                item.AttemptFailed(failure!, completedAt, retryAt);
            }
        }

        await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(cancellationToken);
    }

    private static async Task<(WebhookStatus Status, string? Note)> HandleAsync(IServiceProvider sp, WebhookInboxItem item, CancellationToken cancellationToken)
    {
        var db = sp.GetRequiredService<IApplicationDbContext>();
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == item.InboxId, cancellationToken);
        var channel = sp.GetServices<IWebhookChannel>().FirstOrDefault(c => c.Channel == item.Channel);
        if (inbox is null || channel is null)
        {
            return (WebhookStatus.Ignored, "The inbox or its channel adapter no longer exists.");
        }

        var content = await channel.NormaliseAsync(inbox, item.ContentType, item.Body, cancellationToken);
        var notes = new List<string>(content.Ignored);
        var ingest = sp.GetRequiredService<ReceiveInboundMessageHandler>();
        var linker = sp.GetRequiredService<ContactLinker>();
        foreach (var message in content.Messages)
        {
            await linker.BeforeAsync(message, cancellationToken);
            // The sender's other identities join the contact in the ingest's own transaction (one commit, not two).
            var stored = await ingest.HandleAsync(message.SameContact is { Count: > 0 } same ? message.Message with { AlsoKnownAs = same } : message.Message, cancellationToken);
            if (!stored.IsSuccess)
            {
                // Invalid content (e.g. empty) will never become valid: keep the reason, don't retry.
                notes.Add($"message {message.Message.ExternalId}: {stored.Error!.Message}");
            }
        }

        foreach (var status in content.Statuses)
        {
            var problem = await ApplyStatusAsync(sp, item, status, cancellationToken);
            if (problem is not null)
            {
                notes.Add(problem);
            }
        }

        return (content.IsEmpty ? WebhookStatus.Ignored : WebhookStatus.Processed, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private static async Task<string?> ApplyStatusAsync(IServiceProvider sp, WebhookInboxItem item, WebhookStatusUpdate status, CancellationToken cancellationToken)
    {
        var db = sp.GetRequiredService<IApplicationDbContext>();
        var outbox = sp.GetRequiredService<IOutboxDbContext>();
        var messageId = await outbox.Outbox.AsNoTracking()
            .Where(o => o.InboxId == item.InboxId && o.ProviderMessageId == status.ProviderMessageId)
            .Select(o => (Domain.Common.MessageId?)o.MessageId)
            .FirstOrDefaultAsync(cancellationToken);
        if (messageId is null)
        {
            return $"status {status.Status} for unknown message {status.ProviderMessageId}";
        }

        var message = await db.Messages.FirstAsync(m => m.Id == messageId, cancellationToken);
        var conversation = await db.Conversations.FirstAsync(c => c.Id == message.ConversationId, cancellationToken);
        var reported = conversation.ReportDelivery(message, status.Status, sp.GetRequiredService<TimeProvider>().GetUtcNow(), status.Error);
        await db.SaveChangesAsync(cancellationToken);
        return reported.IsSuccess ? null : reported.Error!.Message;
    }
}

/// <summary>
/// Recognises one person across channels: a WhatsApp sender is also known by their phone number (and an SMS sender by
/// their WhatsApp id), so the same phone on WhatsApp and SMS is one contact. An identity already owned by another contact is
/// left alone (merging contacts stays an agent's decision). The other identities a message names join its contact in the
/// ingest's transaction (<see cref="InboundMessage.AlsoKnownAs"/>).
/// </summary>
public sealed class ContactLinker(IApplicationDbContext db, TimeProvider time)
{
    /// <summary>Before ingesting: a new sender whose other identity is known joins that contact.</summary>
    public async Task BeforeAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.SameContact is not { Count: > 0 } || await db.FindContactByIdentityAsync(message.Message.Sender, cancellationToken) is not null)
        {
            return;
        }

        foreach (var other in message.SameContact)
        {
            var known = await db.FindContactByIdentityAsync(other, cancellationToken);
            if (known is not null)
            {
                known.AddIdentity(message.Message.Sender, time.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
        }
    }
}
