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

    /// <summary>
    /// How many senders' messages of a claimed batch are processed at the same time (each sender's messages stay in order).
    /// Default 1: one webhook after another. On SQLite more is slower (the processor's saves queue in the file's write gate
    /// ahead of the intake's, and the drain does not get faster: ADR 021); meant for SQL Server.
    /// </summary>
    public int Concurrency { get; set; } = 1;
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

        var outcomes = options.Value.Concurrency <= 1
            ? await ProcessInOrderAsync(claimed, cancellationToken)
            : await ProcessBySenderAsync(claimed, cancellationToken);
        await RecordOutcomesAsync(outcomes, cancellationToken);
        return claimed.Count;
    }

    /// <summary>Webhooks:Concurrency = 1 (the default): one webhook after another, each in its own scope.</summary>
    private async Task<List<Outcome>> ProcessInOrderAsync(IReadOnlyList<Guid> claimed, CancellationToken cancellationToken)
    {
        var outcomes = new List<Outcome>(claimed.Count);
        foreach (var id in claimed)
        {
            outcomes.Add(await ProcessOneAsync(id, cancellationToken));
        }

        return outcomes;
    }

    /// <summary>
    /// Handles one claimed webhook in its own scope; its messages are committed by the ingest. The outcome is recorded with
    /// the batch's others in one save (<see cref="RecordOutcomesAsync"/>): if the node stops in between, the lease runs
    /// out and the webhook is handled again, which stores nothing twice (message external ids are unique per inbox).
    /// </summary>
    private async Task<Outcome> ProcessOneAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var item = await sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().FirstAsync(w => w.Id == id, cancellationToken);
        try
        {
            return new Outcome(id, await HandleAsync(sp, item, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new Outcome(id, null, Failed(item, ex));
        }
    }

    /// <summary>
    /// Webhooks:Concurrency &gt; 1. The batch's webhooks are normalised (concurrently), their messages grouped by sender — one
    /// group per person: the sender and the other identities the message names (WhatsApp id ↔ phone), so the contact of one
    /// person is never created or linked by two groups at once — and the groups processed concurrently, each group's
    /// messages one after another in batch order, each message in its own scope (contexts are not thread-safe). Delivery
    /// statuses are applied after the messages, one webhook after another, as before. Each webhook gets one outcome: a
    /// failure in any of its messages (or statuses) retries the whole webhook, as before; its other messages not yet
    /// ingested are skipped, and the other webhooks of the batch go on.
    /// </summary>
    private async Task<List<Outcome>> ProcessBySenderAsync(IReadOnlyList<Guid> claimed, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken };
        List<ClaimedWebhook> batch;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            var items = await sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking()
                .Where(w => claimed.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
            var inboxIds = items.Values.Select(w => w.InboxId).Distinct().ToList();
            var inboxes = await sp.GetRequiredService<IApplicationDbContext>().Inboxes.AsNoTracking()
                .Where(i => inboxIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
            var channels = sp.GetServices<IWebhookChannel>().ToList();
            batch = claimed.Select(id => new ClaimedWebhook(items[id])).ToList();
            await Parallel.ForEachAsync(batch, parallel, async (webhook, token) =>
            {
                try
                {
                    webhook.Normalised(await NormaliseAsync(channels, inboxes.GetValueOrDefault(webhook.Item.InboxId), webhook.Item, token));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    webhook.Fail(Failed(webhook.Item, ex));
                }
            });
        }

        await Parallel.ForEachAsync(BySender(batch), parallel, async (group, token) =>
        {
            foreach (var (webhook, index) in group)
            {
                if (webhook.Failure is not null)
                {
                    continue;
                }

                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    webhook.MessageNotes[index] = await IngestAsync(scope.ServiceProvider, webhook.Content!.Messages[index], token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    webhook.Fail(Failed(webhook.Item, ex));
                }
            }
        });

        foreach (var webhook in batch.Where(w => w.Failure is null && w.Content is { Statuses.Count: > 0 }))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                webhook.StatusNotes = await ApplyStatusesAsync(scope.ServiceProvider, webhook.Item, webhook.Content!.Statuses, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                webhook.Fail(Failed(webhook.Item, ex));
            }
        }

        return batch.Select(w => w.Failure is { } failure
            ? new Outcome(w.Item.Id, null, failure)
            : new Outcome(w.Item.Id, w.Content is null ? Gone : Done(w.Content, [.. w.Content.Ignored, .. w.MessageNotes.OfType<string>(), .. w.StatusNotes]), null)).ToList();
    }

    /// <summary>The batch's messages by person, in batch order within each group (union of the identities each message names).</summary>
    private static List<List<(ClaimedWebhook Webhook, int Index)>> BySender(IReadOnlyList<ClaimedWebhook> batch)
    {
        var parent = new Dictionary<ContactIdentity, ContactIdentity>();
        ContactIdentity Root(ContactIdentity identity)
        {
            while (parent.TryGetValue(identity, out var up) && up != identity)
            {
                identity = up;
            }

            parent.TryAdd(identity, identity);
            return identity;
        }

        var parts = batch.Where(w => w.Failure is null && w.Content is not null)
            .SelectMany(w => w.Content!.Messages.Select((message, index) => (Webhook: w, Index: index, Message: message)))
            .ToList();
        foreach (var part in parts)
        {
            var root = Root(part.Message.Message.Sender);
            foreach (var other in part.Message.SameContact ?? [])
            {
                var otherRoot = Root(other);
                if (otherRoot != root)
                {
                    parent[otherRoot] = root;
                }
            }
        }

        var groups = new Dictionary<ContactIdentity, List<(ClaimedWebhook, int)>>();
        var ordered = new List<List<(ClaimedWebhook, int)>>();
        foreach (var part in parts)
        {
            var root = Root(part.Message.Message.Sender);
            if (!groups.TryGetValue(root, out var group))
            {
                groups[root] = group = [];
                ordered.Add(group);
            }

            group.Add((part.Webhook, part.Index));
        }

        return ordered;
    }

    private string Failed(WebhookInboxItem item, Exception ex)
    {
        logger.LogWarning(ex, "Webhook {WebhookId} ({Channel}) failed on attempt {Attempt}.", item.Id, item.Channel, item.Attempts + 1);
        return ex.GetType().Name + ": " + ex.Message;
    }

    /// <summary>Marks a batch processed, ignored or to be retried (with backoff; failed after MaxAttempts) in one save.</summary>
    private async Task RecordOutcomesAsync(IReadOnlyList<Outcome> outcomes, CancellationToken cancellationToken)
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

    private static readonly (WebhookStatus Status, string? Note) Gone = (WebhookStatus.Ignored, "The inbox or its channel adapter no longer exists.");

    private static (WebhookStatus Status, string? Note) Done(WebhookContent content, IReadOnlyList<string> notes) =>
        (content.IsEmpty ? WebhookStatus.Ignored : WebhookStatus.Processed, notes.Count == 0 ? null : string.Join("; ", notes));

    private static async Task<(WebhookStatus Status, string? Note)> HandleAsync(IServiceProvider sp, WebhookInboxItem item, CancellationToken cancellationToken)
    {
        var inbox = await sp.GetRequiredService<IApplicationDbContext>().Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == item.InboxId, cancellationToken);
        var content = await NormaliseAsync(sp.GetServices<IWebhookChannel>(), inbox, item, cancellationToken);
        if (content is null)
        {
            return Gone;
        }

        var notes = new List<string>(content.Ignored);
        foreach (var message in content.Messages)
        {
            if (await IngestAsync(sp, message, cancellationToken) is { } note)
            {
                notes.Add(note);
            }
        }

        notes.AddRange(await ApplyStatusesAsync(sp, item, content.Statuses, cancellationToken));
        return Done(content, notes);
    }

    /// <summary>What the webhook means; null when its inbox or channel adapter no longer exists.</summary>
    private static async Task<WebhookContent?> NormaliseAsync(IEnumerable<IWebhookChannel> channels, Domain.Inboxes.Inbox? inbox, WebhookInboxItem item, CancellationToken cancellationToken)
    {
        var channel = channels.FirstOrDefault(c => c.Channel == item.Channel);
        return inbox is null || channel is null ? null : await channel.NormaliseAsync(inbox, item.ContentType, item.Body, cancellationToken);
    }

    /// <summary>Stores one message (committed by the ingest); returns why it was not stored when it never will be.</summary>
    private static async Task<string?> IngestAsync(IServiceProvider sp, WebhookMessage message, CancellationToken cancellationToken)
    {
        await sp.GetRequiredService<ContactLinker>().BeforeAsync(message, cancellationToken);
        // The sender's other identities join the contact in the ingest's own transaction (one commit, not two).
        var stored = await sp.GetRequiredService<ReceiveInboundMessageHandler>()
            .HandleAsync(message.SameContact is { Count: > 0 } same ? message.Message with { AlsoKnownAs = same } : message.Message, cancellationToken);
        // Invalid content (e.g. empty) will never become valid: keep the reason, don't retry.
        return stored.IsSuccess ? null : $"message {message.Message.ExternalId}: {stored.Error!.Message}";
    }

    private static async Task<List<string>> ApplyStatusesAsync(IServiceProvider sp, WebhookInboxItem item, IReadOnlyList<WebhookStatusUpdate> statuses, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        foreach (var status in statuses)
        {
            if (await ApplyStatusAsync(sp, item, status, cancellationToken) is { } problem)
            {
                notes.Add(problem);
            }
        }

        return notes;
    }

    private readonly record struct Outcome(Guid Id, (WebhookStatus Status, string? Note)? Done, string? Failure);

    /// <summary>One claimed webhook while its batch is processed concurrently (its messages may be ingested by several groups).</summary>
    private sealed class ClaimedWebhook(WebhookInboxItem item)
    {
        private string? _failure;

        public WebhookInboxItem Item { get; } = item;

        /// <summary>Null when the inbox or channel is gone (or normalising failed).</summary>
        public WebhookContent? Content { get; private set; }

        /// <summary>Per message: why it was not stored (each slot written by the one group that ingests that message).</summary>
        public string?[] MessageNotes { get; private set; } = [];

        public IReadOnlyList<string> StatusNotes { get; set; } = [];

        /// <summary>The first failure (the webhook is retried); set from any group.</summary>
        public string? Failure => Volatile.Read(ref _failure);

        public void Normalised(WebhookContent? content)
        {
            Content = content;
            MessageNotes = new string?[content?.Messages.Count ?? 0];
        }

        public void Fail(string failure) => Interlocked.CompareExchange(ref _failure, failure, null);
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
