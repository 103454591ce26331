using System.Threading.Channels;
using ContactCenter.Application.Events;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Application.Realtime;

/// <summary>
/// Committed events waiting to be pushed. Fan-out runs off the request path: a customer's send is
/// acknowledged once the message is committed, not once every screen has been told. Events are
/// partitioned by conversation (or agent), so each conversation's pushes keep their order.
/// </summary>
public sealed class RealtimeQueue
{
    private readonly Channel<IDomainEvent>[] _partitions;

    public RealtimeQueue()
        : this(Math.Max(2, Environment.ProcessorCount))
    {
    }

    public RealtimeQueue(int partitions)
    {
        _partitions = Enumerable.Range(0, partitions)
            .Select(_ => Channel.CreateUnbounded<IDomainEvent>(new UnboundedChannelOptions { SingleReader = true }))
            .ToArray();
    }

    public int Partitions => _partitions.Length;

    public ChannelReader<IDomainEvent> Reader(int partition) => _partitions[partition].Reader;

    public void Enqueue(IDomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var key = domainEvent switch
        {
            MessageAdded e => e.ConversationId.Value,
            MessageDeliveryChanged e => e.ConversationId.Value,
            ConversationCreated e => e.ConversationId.Value,
            ConversationAssigned e => e.ConversationId.Value,
            ConversationStatusChanged e => e.ConversationId.Value,
            ConversationOffered e => e.ConversationId.Value,
            OfferWithdrawn e => e.ConversationId.Value,
            SlaThresholdReached e => e.ConversationId.Value,
            ConversationEscalated e => e.ConversationId.Value,
            AgentPresenceChanged e => e.AgentId.Value,
            _ => Guid.Empty,
        };
        var index = (int)((uint)key.GetHashCode() % (uint)_partitions.Length);
        _partitions[index].Writer.TryWrite(domainEvent);
    }
}

/// <summary>Hands committed events to the realtime queue (cheap: no I/O on the request path).</summary>
public sealed class RealtimeEnqueuer(RealtimeQueue queue) :
    IDomainEventHandler<MessageAdded>,
    IDomainEventHandler<MessageDeliveryChanged>,
    IDomainEventHandler<ConversationCreated>,
    IDomainEventHandler<ConversationAssigned>,
    IDomainEventHandler<ConversationStatusChanged>,
    IDomainEventHandler<AgentPresenceChanged>,
    IDomainEventHandler<ConversationOffered>,
    IDomainEventHandler<OfferWithdrawn>,
    IDomainEventHandler<SlaThresholdReached>,
    IDomainEventHandler<ConversationEscalated>
{
    public Task HandleAsync(ConversationEscalated domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(MessageDeliveryChanged domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(ConversationCreated domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(ConversationAssigned domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(AgentPresenceChanged domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(ConversationOffered domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(OfferWithdrawn domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    public Task HandleAsync(SlaThresholdReached domainEvent, CancellationToken cancellationToken) => Enqueue(domainEvent);

    private Task Enqueue(IDomainEvent domainEvent)
    {
        queue.Enqueue(domainEvent);
        return Task.CompletedTask;
    }
}

/// <summary>Drains the realtime queue: one worker per partition, a scope per batch, the publisher per event.</summary>
public sealed partial class RealtimeDispatcher(RealtimeQueue queue, IServiceScopeFactory scopes, ILogger<RealtimeDispatcher> logger) : BackgroundService
{
    private const int MaxBatch = 64;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, queue.Partitions).Select(p => Task.Run(() => RunAsync(queue.Reader(p), stoppingToken), stoppingToken)));

    private async Task RunAsync(ChannelReader<IDomainEvent> reader, CancellationToken stoppingToken)
    {
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await using var scope = scopes.CreateAsyncScope();
                var publisher = scope.ServiceProvider.GetRequiredService<RealtimePublisher>();
                for (var n = 0; n < MaxBatch && reader.TryRead(out var domainEvent); n++)
                {
                    try
                    {
                        await PublishAsync(publisher, domainEvent, stoppingToken);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
#pragma warning disable CA1031 // one failed push must not stop the others; the data is committed and clients resync on reconnect
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogPushFailed(logger, ex, domainEvent.GetType().Name);
                    }
                }

                try
                {
                    await publisher.FlushAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed status write must not stop the pushes; the messages were delivered
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogPushFailed(logger, ex, "web chat delivery status");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static Task PublishAsync(RealtimePublisher publisher, IDomainEvent domainEvent, CancellationToken cancellationToken) => domainEvent switch
    {
        MessageAdded e => publisher.HandleAsync(e, cancellationToken),
        ConversationEscalated e => publisher.HandleAsync(e, cancellationToken),
        MessageDeliveryChanged e => publisher.HandleAsync(e, cancellationToken),
        ConversationCreated e => publisher.HandleAsync(e, cancellationToken),
        ConversationAssigned e => publisher.HandleAsync(e, cancellationToken),
        ConversationStatusChanged e => publisher.HandleAsync(e, cancellationToken),
        AgentPresenceChanged e => publisher.HandleAsync(e, cancellationToken),
        ConversationOffered e => publisher.HandleAsync(e, cancellationToken),
        OfferWithdrawn e => publisher.HandleAsync(e, cancellationToken),
        SlaThresholdReached e => publisher.HandleAsync(e, cancellationToken),
        _ => Task.CompletedTask,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A realtime push for {Event} failed")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, string @event);
}
