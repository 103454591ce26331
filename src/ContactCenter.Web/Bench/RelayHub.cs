using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Bench;

public interface IRelayClient
{
    /// <summary>A payload from the other side of the pair.</summary>
    Task Receive(string pairId, string payload);
}

/// <summary>
/// The benchmark's baseline: a bare SignalR relay on the same server as the product, with no
/// persistence, no routing and no authentication. A connection joins pairs as "customer" or
/// "agent"; Send echoes the payload to the other side of the pair. bench/ measures the product's
/// latency as a ratio of this one's, so the numbers survive a noisy machine.
/// </summary>
[AllowAnonymous]
public sealed class RelayHub : Hub<IRelayClient>
{
    public const string Path = "/bench/relay";
    public const string Customer = "customer";
    public const string Agent = "agent";
    private const int MaxPairIdLength = 64;
    private const int MaxPayloadLength = 8 * 1024;

    /// <summary>Joins a pair as one side. A connection is on one side for all its pairs.</summary>
    public Task Join(string pairId, string side)
    {
        if (string.IsNullOrEmpty(pairId) || pairId.Length > MaxPairIdLength || side is not (Customer or Agent))
        {
            throw new HubException("validation: A pair id of at most 64 characters and a side (customer or agent) are needed.");
        }

        if (Context.Items.TryGetValue("side", out var current) && !Equals(current, side))
        {
            throw new HubException("validation: A connection stays on one side.");
        }

        Context.Items["side"] = side;
        return Groups.AddToGroupAsync(Context.ConnectionId, Group(pairId, side));
    }

    /// <summary>Echoes the payload to the other side of the pair.</summary>
    public Task Send(string pairId, string payload)
    {
        if (Context.Items["side"] is not string side)
        {
            throw new HubException("validation: Join a pair first.");
        }

        if (string.IsNullOrEmpty(pairId) || pairId.Length > MaxPairIdLength || payload is null || payload.Length > MaxPayloadLength)
        {
            throw new HubException("validation: Payloads are at most 8 KiB.");
        }

        return Clients.Group(Group(pairId, side == Customer ? Agent : Customer)).Receive(pairId, payload);
    }

    private static string Group(string pairId, string side) => $"relay:{pairId}:{side}";
}
