using StackExchange.Redis;

namespace ContactCenter.Web.Scale;

/// <summary>
/// The node's one Redis connection, shared by the SignalR backplane of every hub (the Blazor circuits' pushes
/// go through the agent hub's groups) and the health check. StackExchange.Redis reconnects by itself and
/// re-subscribes the backplane's channels when Redis comes back (AbortOnConnectFail = false, so a node also
/// starts while Redis is down and serves its own clients meanwhile).
/// </summary>
public sealed class SharedRedis : IAsyncDisposable
{
    private readonly ConfigurationOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public SharedRedis(string configuration)
    {
        _options = ConfigurationOptions.Parse(configuration);
        _options.AbortOnConnectFail = false;
        _options.ChannelPrefix = RedisChannel.Literal("contactcenter");
        _options.ClientName ??= $"contactcenter-{Environment.MachineName}-{Environment.ProcessId}";
        // Fail fast and retry often: a restarted Redis is back within a second or two, and pushes should follow.
        _options.ConnectTimeout = Math.Min(_options.ConnectTimeout, 3000);
        _options.ReconnectRetryPolicy ??= new LinearRetry(500);
        // While Redis is down, commands fail at once (the hub manager then serves this node's clients) rather
        // than queueing pushes that would arrive late, after the clients have resynchronised.
        _options.BacklogPolicy = BacklogPolicy.FailFast;
    }


    /// <summary>The connection, opened on first use (in the background: it answers at once even while Redis is down).</summary>
    public async Task<IConnectionMultiplexer> GetAsync(TextWriter? log = null)
    {
        if (_connection is { } open)
        {
            return open;
        }

        await _gate.WaitAsync();
        try
        {
            return _connection ??= await ConnectionMultiplexer.ConnectAsync(_options, log);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
