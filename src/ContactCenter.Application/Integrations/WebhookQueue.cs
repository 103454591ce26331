using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Integrations;

/// <summary>
/// Turns events into durable delivery rows, one per enabled subscription that wants the event, and wakes the dispatcher.
/// Which events anyone wants is cached briefly, so a contact center without subscriptions pays nothing per message.
/// </summary>
public sealed class WebhookQueue(IServiceScopeFactory scopes, WebhookSignal signal, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private volatile Wanted? _wanted;

    private sealed record Wanted(HashSet<string> Events, DateTimeOffset Until);

    /// <summary>Forget the cached event set (after a subscription changed on this node; other nodes catch up within seconds).</summary>
    public void Invalidate() => _wanted = null;

    public async Task<bool> IsWantedAsync(string eventName, CancellationToken cancellationToken)
    {
        var wanted = _wanted;
        var now = time.GetUtcNow();
        if (wanted is null || wanted.Until < now)
        {
            await using var scope = scopes.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<IIntegrationsDbContext>().WebhookSubscriptions.AsNoTracking()
                .Where(s => s.Enabled).Select(s => s.Events).ToListAsync(cancellationToken);
            wanted = new Wanted(rows.SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal), now + CacheFor);
            _wanted = wanted;
        }

        return wanted.Events.Contains(eventName);
    }

    /// <summary>Queues the event for every enabled subscription that wants it (or only for <paramref name="onlySubscription"/>, the test button).</summary>
    public async Task<IReadOnlyList<Guid>> EnqueueAsync(string eventName, object data, Guid? contactId, CancellationToken cancellationToken, Guid? onlySubscription = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IIntegrationsDbContext>();
        var query = db.WebhookSubscriptions.AsNoTracking();
        query = onlySubscription is { } only ? query.Where(s => s.Id == only) : query.Where(s => s.Enabled);
        var subscriptions = await query.ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ids = new List<Guid>();
        foreach (var subscription in subscriptions.Where(s => onlySubscription is not null || s.Wants(eventName)))
        {
            var id = Guid.CreateVersion7(now);
            var body = JsonSerializer.Serialize(new { id, @event = eventName, createdAt = now, data }, Json);
            db.WebhookDeliveries.Add(WebhookDelivery.For(id, subscription.Id, eventName, body, contactId, now));
            ids.Add(id);
        }

        if (ids.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            signal.Wake();
        }

        return ids;
    }
}

/// <summary>Wakes the webhook dispatcher when deliveries were queued.</summary>
public sealed class WebhookSignal : Common.QueueSignal;

/// <summary>
/// Domain events → webhook deliveries, through the app's event dispatch (after the transaction that raised them committed).
/// Payloads carry ids and the content receivers need (a new message's text); customers' data only in message and CSAT events.
/// </summary>
public sealed class WebhookPublisher(WebhookQueue queue, IServiceScopeFactory scopes) :
    IDomainEventHandler<ConversationCreated>,
    IDomainEventHandler<ConversationAssigned>,
    IDomainEventHandler<ConversationStatusChanged>,
    IDomainEventHandler<MessageAdded>,
    IDomainEventHandler<CsatSubmitted>
{
    public Task HandleAsync(ConversationCreated domainEvent, CancellationToken cancellationToken) =>
        ConversationEventAsync(WebhookEvents.ConversationCreated, domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(ConversationAssigned domainEvent, CancellationToken cancellationToken) =>
        ConversationEventAsync(WebhookEvents.ConversationAssigned, domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken) =>
        domainEvent.To == ConversationStatus.Resolved
            ? ConversationEventAsync(WebhookEvents.ConversationResolved, domainEvent.ConversationId, cancellationToken)
            : Task.CompletedTask;

    public async Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.IsPrivate || !await queue.IsWantedAsync(WebhookEvents.MessageCreated, cancellationToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == domainEvent.MessageId, cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == domainEvent.ConversationId, cancellationToken);
        if (message is null || conversation is null)
        {
            return;
        }

        var data = new
        {
            conversation = ConversationData(conversation),
            message = new
            {
                id = message.Id.Value,
                message.Direction,
                message.AuthorKind,
                message.AuthorName,
                message.Text,
                message.CreatedAt,
                attachments = message.Attachments.Select(a => new { a.FileName, a.ContentType, a.SizeBytes }),
            },
        };
        await queue.EnqueueAsync(WebhookEvents.MessageCreated, data, conversation.ContactId.Value, cancellationToken);
    }

    public async Task HandleAsync(CsatSubmitted domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (!await queue.IsWantedAsync(WebhookEvents.CsatReceived, cancellationToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var rating = await scope.ServiceProvider.GetRequiredService<Feedback.IFeedbackDbContext>().CsatRatings.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == domainEvent.RatingId, cancellationToken);
        var data = new
        {
            ratingId = domainEvent.RatingId,
            conversationId = domainEvent.ConversationId.Value,
            contactId = domainEvent.ContactId.Value,
            agentId = domainEvent.AgentId?.Value,
            teamId = domainEvent.TeamId?.Value,
            score = rating?.Score,
            comment = rating?.Comment,
        };
        await queue.EnqueueAsync(WebhookEvents.CsatReceived, data, domainEvent.ContactId.Value, cancellationToken);
    }

    private async Task ConversationEventAsync(string eventName, Domain.Common.ConversationId id, CancellationToken cancellationToken)
    {
        if (!await queue.IsWantedAsync(eventName, cancellationToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var conversation = await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is not null)
        {
            await queue.EnqueueAsync(eventName, new { conversation = ConversationData(conversation) }, conversation.ContactId.Value, cancellationToken);
        }
    }

    private static object ConversationData(Conversation c) => new
    {
        id = c.Id.Value,
        c.Number,
        inboxId = c.InboxId.Value,
        c.Channel,
        contactId = c.ContactId.Value,
        teamId = c.TeamId?.Value,
        assigneeId = c.AssigneeId?.Value,
        c.Status,
        c.Priority,
        c.CreatedAt,
        c.ResolvedAt,
    };
}
