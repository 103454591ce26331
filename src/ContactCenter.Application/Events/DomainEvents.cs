using ContactCenter.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Application.Events;

/// <summary>Reacts to a domain event after the transaction that raised it has committed.</summary>
public interface IDomainEventHandler<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}

public interface IDomainEventDispatcher
{
    Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken);
}

/// <summary>Calls every registered handler of each event; a failing handler is logged and does not stop the others.</summary>
public sealed partial class DomainEventDispatcher(IServiceProvider services, ILogger<DomainEventDispatcher> logger) : IDomainEventDispatcher
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (Type HandlerType, System.Reflection.MethodInfo Handle)> HandlerTypes = new();

    public async Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var domainEvent in events)
        {
            var (handlerType, handle) = HandlerTypes.GetOrAdd(domainEvent.GetType(), static t =>
            {
                var type = typeof(IDomainEventHandler<>).MakeGenericType(t);
                return (type, type.GetMethod(nameof(IDomainEventHandler<IDomainEvent>.HandleAsync))!);
            });
            foreach (var handler in services.GetServices(handlerType))
            {
                try
                {
                    await ((Task)handle.Invoke(handler, [domainEvent, cancellationToken])!).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // one failing reaction must not undo or block the others; the data is committed
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogHandlerFailed(logger, ex, handler!.GetType().Name, domainEvent.GetType().Name);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Domain event handler {Handler} failed on {Event}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string handler, string @event);
}
