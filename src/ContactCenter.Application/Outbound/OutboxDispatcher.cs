using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Outbound;

public sealed class OutboxOptions
{
    /// <summary>How often the outbox is scanned even when nothing announced a reply (retries, other nodes' replies).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one dispatcher owns a claimed item; a node that dies mid-send leaves it to the others after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a reply is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits this long; each further one twice as long (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>One send attempt is abandoned (and retried) after this.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Due items claimed per pass.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Earlier messages handed to the sender for quoting and reply headers.</summary>
    public int ThreadLength { get; set; } = 20;
}

/// <summary>Wakes the dispatcher when a reply was committed (instead of waiting for the next poll).</summary>
public sealed class OutboxSignal : Common.QueueSignal, IDomainEventHandler<MessageAdded>
{
    public Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.Direction == MessageDirection.Outbound && !domainEvent.IsPrivate)
        {
            Wake();
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Sends replies from the outbox through their channel's <see cref="IChannelSender"/>: claims due items with a lease (so
/// several nodes never send one twice at the same time), retries transient failures with exponential backoff and marks the
/// message sent or failed (with the provider's reason) for the console. Delivery is at least once: a node that dies after
/// the provider accepted a reply but before recording it sends it again when the lease ends.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger,
    Diagnostics.ContactCenterMetrics metrics) : Common.QueuePump(signal, logger)
{
    private readonly OutboxOptions _options = options.Value;

    protected override TimeSpan PollInterval => _options.PollInterval;

    protected override int BatchSize => _options.BatchSize;

    /// <summary>One pass: claims the due items and sends each. Returns how many were claimed.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);

        // One lane per channel, the lanes side by side: a slow or failing provider holds up only its own channel's
        // replies (kept in order within the lane), never another channel's.
        await Task.WhenAll(claimed.GroupBy(c => c.Channel).Select(async lane =>
        {
            foreach (var (id, _) in lane)
            {
                await SendAsync(id, cancellationToken);
            }
        }));

        return claimed.Count;
    }

    private async Task<List<(Guid Id, ChannelKind Channel)>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutboxDbContext>().Outbox;
        var now = time.GetUtcNow();
        var due = await outbox.AsNoTracking()
            .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= now && (o.LeaseUntil == null || o.LeaseUntil < now))
            .OrderBy(o => o.NextAttemptAt)
            .Select(o => new { o.Id, o.Channel })
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);

        var claimed = new List<(Guid, ChannelKind)>(due.Count);
        var leaseUntil = now + _options.Lease;
        foreach (var (id, channel) in due.Select(d => (d.Id, d.Channel)))
        {
            // The conditional update is the claim: of several nodes only one sees a row change.
            var rows = await outbox
                .Where(o => o.Id == id && o.Status == OutboxStatus.Pending && (o.LeaseUntil == null || o.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseUntil, leaseUntil), cancellationToken);
            if (rows == 1)
            {
                claimed.Add((id, channel));
            }
        }

        return claimed;
    }

    private async Task SendAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IApplicationDbContext>();
        var item = await services.GetRequiredService<IOutboxDbContext>().Outbox.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (item is null || item.Status != OutboxStatus.Pending)
        {
            return;
        }

        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == item.MessageId, cancellationToken);
        var conversation = message is null ? null : await db.Conversations.FirstOrDefaultAsync(c => c.Id == message.ConversationId, cancellationToken);
        if (message is null || conversation is null)
        {
            item.AttemptFailed("The message no longer exists.", time.GetUtcNow(), null);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        using var activity = Diagnostics.ContactCenterMetrics.Activity.StartActivity("outbox send");
        activity?.SetTag("cc.channel", item.Channel.ToString());
        var outcome = await AttemptAsync(services, db, item, conversation, message, cancellationToken);
        var now = time.GetUtcNow();
        if (outcome.Success)
        {
            item.Succeeded(outcome.ProviderMessageId, now);
            conversation.ReportDelivery(message, DeliveryStatus.Sent, now);
            LogSent(logger, message.Id.Value, item.Channel, item.Attempts);
            metrics.ReplyAttempt(item.Channel, "sent");
        }
        else
        {
            var error = string.IsNullOrWhiteSpace(outcome.Error) ? "The channel did not accept the message." : outcome.Error;
            var final = outcome.Permanent || item.Attempts + 1 >= _options.MaxAttempts;
            item.AttemptFailed(error, now, final ? null : now + Backoff(item.Attempts + 1));
            if (final)
            {
                conversation.ReportDelivery(message, DeliveryStatus.Failed, now, item.LastError);
                LogFailed(logger, message.Id.Value, item.Channel, item.Attempts, Common.LogRedaction.Text(error));
                metrics.ReplyAttempt(item.Channel, "failed");
            }
            else
            {
                LogRetry(logger, message.Id.Value, item.Channel, item.Attempts, item.NextAttemptAt, Common.LogRedaction.Text(error));
                metrics.ReplyAttempt(item.Channel, "retry");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<SendOutcome> AttemptAsync(IServiceProvider services, IApplicationDbContext db, OutboxItem item, Conversation conversation, Message message, CancellationToken cancellationToken)
    {
        if (item.Purpose == OutboxPurpose.Transcript)
        {
            return await AttemptDocumentAsync(services, db, item, cancellationToken);
        }

        var sender = services.GetServices<IChannelSender>().FirstOrDefault(s => s.Channel == item.Channel);
        if (sender is null)
        {
            return SendOutcome.Failed($"No sender is configured for the {item.Channel} channel.", permanent: true);
        }

        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == conversation.InboxId, cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (inbox is null || contact is null)
        {
            return SendOutcome.Failed("The inbox or the contact of this conversation no longer exists.", permanent: true);
        }

        var kind = item.Channel.IdentityKind();
        var recipient = contact.Identities.LastOrDefault(i => i.Kind == kind)
            ?? (kind == IdentityKind.Email && contact.Email is { } email ? ContactIdentity.Create(IdentityKind.Email, email) : null);
        if (recipient is null)
        {
            return SendOutcome.Failed($"The contact has no {kind} identity to send to.", permanent: true);
        }

        var thread = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && !m.IsPrivate && m.Id != message.Id && m.CreatedAt <= message.CreatedAt)
            .OrderByDescending(m => m.CreatedAt)
            .Take(_options.ThreadLength)
            .ToListAsync(cancellationToken);
        thread.Reverse();
        var threadIds = thread.Select(m => m.Id).ToList();
        var providerIds = await services.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking()
            .Where(o => threadIds.Contains(o.MessageId) && o.ProviderMessageId != null)
            .ToDictionaryAsync(o => o.MessageId, o => o.ProviderMessageId!, cancellationToken);

        var signature = await SignatureAsync(db, message, cancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            return await sender.SendAsync(new OutboundDelivery(inbox, conversation, message, contact, recipient, thread, providerIds, signature), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Failed($"The {item.Channel} channel did not answer within {_options.SendTimeout.TotalSeconds:0} s.");
        }
#pragma warning disable CA1031 // a sender's bug or an unexpected transport error is a failed attempt, retried like any other
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return SendOutcome.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A transcript: a text email from the item's (email) inbox to its recipient.</summary>
    private async Task<SendOutcome> AttemptDocumentAsync(IServiceProvider services, IApplicationDbContext db, OutboxItem item, CancellationToken cancellationToken)
    {
        var sender = services.GetService<IDocumentEmailSender>();
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == item.InboxId, cancellationToken);
        if (sender is null || inbox is null || item.Recipient is null)
        {
            return SendOutcome.Failed("No email inbox or email sender is configured for this email.", permanent: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            return await sender.SendAsync(new DocumentEmail(inbox, item.Recipient, null, item.Subject ?? "", item.Body ?? ""), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Failed($"The email relay did not answer within {_options.SendTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The replying agent's signature (agent replies carry the agent id as AuthorId); null for bots and system messages.</summary>
    private static async Task<string?> SignatureAsync(IApplicationDbContext db, Message message, CancellationToken cancellationToken)
    {
        if (message.AuthorKind != AuthorKind.Agent || !Guid.TryParse(message.AuthorId, out var agentGuid))
        {
            return null;
        }

        var agentId = new AgentId(agentGuid);
        return await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Signature).FirstOrDefaultAsync(cancellationToken);
    }

    private TimeSpan Backoff(int attempt) => Common.RetryBackoff.After(attempt, _options.InitialBackoff, _options.MaxBackoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {MessageId} sent through {Channel} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, Guid messageId, ChannelKind channel, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {MessageId} through {Channel} failed (attempt {Attempt}), retrying at {RetryAt}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid messageId, ChannelKind channel, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply {MessageId} through {Channel} failed for good after {Attempts} attempt(s): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid messageId, ChannelKind channel, int attempts, string error);
}
