using ContactCenter.Testing;

namespace ContactCenter.Web.Tests.Scale;

/// <summary>Two app nodes on one database (node A creates it) with a real redis-server as the SignalR backplane.</summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    private TwoNodeCluster(RedisServer redis, ContactCenterHost nodeA, ContactCenterHost nodeB)
    {
        Redis = redis;
        NodeA = nodeA;
        NodeB = nodeB;
    }

    public RedisServer Redis { get; }
    public ContactCenterHost NodeA { get; }
    public ContactCenterHost NodeB { get; }

    public static async Task<TwoNodeCluster> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var redis = await RedisServer.StartAsync();
        var all = new Dictionary<string, string?>(settings)
        {
            ["Redis:Connection"] = redis.ConnectionString,
            ["RateLimits:WidgetSessionsPerMinute"] = "100000",
        };
        var nodeA = new ContactCenterHost(all);
        _ = nodeA.BaseAddress; // node A creates the database
        var nodeB = new ContactCenterHost(all, sharedDataDirectory: nodeA.DataDirectory);
        _ = nodeB.BaseAddress;
        return new TwoNodeCluster(redis, nodeA, nodeB);
    }

    public async ValueTask DisposeAsync()
    {
        NodeB.Dispose();
        NodeA.Dispose();
        await Redis.DisposeAsync();
    }
}
