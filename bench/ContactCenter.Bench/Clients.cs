using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Bench;

// The product's wire contracts as a client sees them (only the fields the bench reads). The bench is a
// black-box client like the widget: it does not reference the web project's types.

internal sealed record WidgetSessionRequest(Guid InboxId, string? VisitorToken, string? Name);

internal sealed record WidgetSessionResponse(string VisitorToken, Guid ContactId, string ContactName, string? Greeting, bool Resumed);

internal sealed record ChatSendRequest(string ClientMessageId, string Text);

internal sealed record ChatSendResult(Guid MessageId, Guid ConversationId, bool Duplicate);

/// <summary>ChatMessageDto, as pushed to customers by MessageReceived.</summary>
internal sealed record ChatMessage(Guid Id, Guid ConversationId, bool FromCustomer, string Text, string? ClientMessageId);

internal sealed record AgentReplyRequest(Guid ConversationId, string Text, bool IsPrivate, string ClientMessageId);

internal sealed record AgentReplyResult(Guid MessageId, bool Duplicate);

/// <summary>MessageDto, as pushed to staff by MessageCreated (Direction is "Inbound" or "Outbound").</summary>
internal sealed record StaffMessage(Guid Id, Guid ConversationId, string Direction, string? ExternalId, string Text);

/// <summary>OfferDto (offer mode, issue 3), as pushed to one agent by OfferReceived.</summary>
internal sealed record OfferView(ConversationUpdate Conversation, Guid AgentId);

/// <summary>ConversationSummaryDto, as pushed to staff by ConversationUpdated.</summary>
internal sealed record ConversationUpdate(Guid Id, Guid ContactId, Guid? AssigneeId, string Status);

internal static class Hubs
{
    public const string Chat = "hubs/chat";
    public const string Agent = "hubs/agent";
    public const string Relay = "bench/relay";

    /// <summary>
    /// A WebSocket connection (negotiation skipped, as a long-lived client would reconnect straight to
    /// the socket) with generous timeouts: under overload the bench wants to see slow answers, not
    /// connections it dropped itself.
    /// </summary>
    public static HubConnection Build(Uri baseUrl, string path, string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        connection.HandshakeTimeout = TimeSpan.FromMinutes(1);
        connection.KeepAliveInterval = TimeSpan.FromSeconds(15);
        return connection;
    }

    public static HttpClient Http(Uri baseUrl) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static async Task<WidgetSessionResponse> StartSessionAsync(HttpClient http, Guid inboxId, string name, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri("api/v1/widget/sessions", UriKind.Relative), new WidgetSessionRequest(inboxId, null, name), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"widget session: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<WidgetSessionResponse>(cancellationToken)
            ?? throw new HttpRequestException("widget session: empty answer");
    }

    /// <summary>Runs the work items with at most `parallel` at once.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallel, CancellationToken cancellationToken, Func<T, CancellationToken, ValueTask> work) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, work);

    public static async Task StopQuietlyAsync(IEnumerable<HubConnection> connections)
    {
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await c.StopAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or InvalidOperationException)
            {
            }

            await c.DisposeAsync();
        });
    }
}
