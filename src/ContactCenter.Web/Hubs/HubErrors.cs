using ContactCenter.Domain.Common;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Hubs;

/// <summary>An expected failure (a Result's Error) on its way out of a hub method.</summary>
public sealed class HubFailureException(Error error) : Exception(error?.Message)
{
    public Error Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}

public static class HubResults
{
    public static void Ensure(Result result)
    {
        if (!result.IsSuccess)
        {
            throw new HubFailureException(result.Error!);
        }
    }

    public static T Ensure<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new HubFailureException(result.Error!);
}

/// <summary>Maps expected failures to a HubException the client sees ("code: message"), and logs the unexpected.</summary>
public sealed partial class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(invocationContext);
        }
        catch (HubFailureException ex)
        {
            throw new HubException($"{ex.Error.Code}: {ex.Error.Message}");
        }
        catch (Exception ex) when (Scale.DatabaseUnavailable.IsTransient(ex))
        {
            // Nothing was committed: the client retries with the same client id (stored once).
            LogUnavailable(logger, invocationContext.Hub.GetType().Name, invocationContext.HubMethodName, ex.GetBaseException().Message);
            throw new HubException($"{Scale.DatabaseUnavailable.Code}: {Scale.DatabaseUnavailable.Message}");
        }
        catch (Exception ex) when (ex is not HubException and not OperationCanceledException)
        {
            LogFailed(logger, ex, invocationContext.Hub.GetType().Name, invocationContext.HubMethodName);
            throw new HubException("internal: Something went wrong; please retry.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Hub}.{Method}: the database is unavailable ({Reason}); the client was told to retry")]
    private static partial void LogUnavailable(ILogger logger, string hub, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Hub}.{Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string hub, string method);
}
