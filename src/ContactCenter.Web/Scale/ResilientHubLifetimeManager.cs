using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;

namespace ContactCenter.Web.Scale;

/// <summary>
/// The Redis backplane with a local fallback. Every connection and group membership is kept by both the Redis
/// manager (pushes to every node) and an in-memory one (this node only). While Redis answers, sends go through
/// Redis (which also delivers to this node's clients); while it does not — killed, restarting, unreachable —
/// sends go to this node's own clients at once instead of waiting on a dead socket, and subscribe calls are
/// not allowed to hold a connecting client. StackExchange.Redis reconnects by itself and restores the
/// subscriptions it holds, so pushes between nodes resume without anyone doing anything.
/// </summary>
public sealed partial class ResilientHubLifetimeManager<THub>(
    RedisHubLifetimeManager<THub> redis,
    DefaultHubLifetimeManager<THub> local,
    SharedRedis shared,
    ILogger<ResilientHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub>
    where THub : Hub
{
    /// <summary>How long a backplane call may hold a connect or a group change while Redis is not answering.</summary>
    private static readonly TimeSpan BackplaneWait = TimeSpan.FromSeconds(1);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await local.OnConnectedAsync(connection);
        await BoundedAsync(redis.OnConnectedAsync(connection), "connect");
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        await local.OnDisconnectedAsync(connection);
        await BoundedAsync(redis.OnDisconnectedAsync(connection), "disconnect");
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await BoundedAsync(redis.AddToGroupAsync(connectionId, groupName, cancellationToken), "group add");
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await BoundedAsync(redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken), "group remove");
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUsersAsync(userIds, methodName, args, cancellationToken));

    // Client results are not used by the product; they stay with the backplane that knows every node.
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => redis.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        redis.TryGetReturnType(invocationId, out type);

    private async Task SendAsync(Func<HubLifetimeManager<THub>, Task> send)
    {
        // GetAsync, not IsConnected alone: a node with no client of its own yet has not opened the connection,
        // and its pushes (a webhook, a job) must still reach the other nodes' clients.
        if ((await shared.GetAsync()).IsConnected)
        {
            try
            {
                await send(redis);
                return;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
            {
                LogLocalOnly(logger, ex.Message);
            }
        }

        // Redis does not answer: this node's own clients still get it (the others reload what they missed on reconnect).
        await send(local);
    }

    private async Task BoundedAsync(Task backplane, string what)
    {
        try
        {
            await backplane.WaitAsync(BackplaneWait);
        }
        catch (TimeoutException)
        {
            // The subscription stays registered with StackExchange.Redis and is restored when Redis is back.
            LogBackplaneSlow(logger, what);
            _ = backplane.ContinueWith(t => LogBackplaneFailed(logger, what, t.Exception?.GetBaseException().Message ?? ""), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or ObjectDisposedException)
        {
            LogBackplaneFailed(logger, what, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not take a push ({Reason}); delivered to this node's clients only.")]
    private static partial void LogLocalOnly(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is slow to answer a backplane {What}; carrying on with this node's clients.")]
    private static partial void LogBackplaneSlow(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backplane {What} failed: {Reason}; this node's clients are served, pushes across nodes resume when Redis answers.")]
    private static partial void LogBackplaneFailed(ILogger logger, string what, string reason);
}
