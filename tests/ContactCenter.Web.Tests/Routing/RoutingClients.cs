using System.Collections.Concurrent;
using System.Net.Http.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Routing;

/// <summary>An agent's real SignalR connection with what it received.</summary>
public sealed class AgentClient(Agent agent, HubConnection connection) : IAsyncDisposable
{
    public Agent Agent { get; } = agent;
    public HubConnection Connection { get; } = connection;
    public ConcurrentQueue<OfferDto> Offers { get; } = new();
    public ConcurrentQueue<(Guid ConversationId, bool Expired)> Withdrawn { get; } = new();
    public ConcurrentQueue<ConversationSummaryDto> Updates { get; } = new();

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>Builds agents and customers against a running host.</summary>
public static class RoutingClients
{
    public static async Task<AgentClient> ConnectAgentAsync(this ContactCenterHost host, string email, string name, params TeamId[] teams)
    {
        var agent = await host.CreateAgentAsync(email, name, StaffRole.Agent, teams);
        var connection = host.AgentConnection(await host.SignInAsync(email));
        var client = new AgentClient(agent, connection);
        connection.On<OfferDto>(nameof(IAgentClient.OfferReceived), o => client.Offers.Enqueue(o));
        connection.On<Guid, bool>(nameof(IAgentClient.OfferWithdrawn), (id, expired) => client.Withdrawn.Enqueue((id, expired)));
        connection.On<ConversationSummaryDto>(nameof(IAgentClient.ConversationUpdated), c => client.Updates.Enqueue(c));
        await connection.StartAsync().Within($"{name} to connect");
        await host.UntilPresenceAsync(agent.Id, Presence.Online);
        return client;
    }

    public static async Task<HubConnection> ReconnectAsync(this ContactCenterHost host, string email)
    {
        var connection = host.AgentConnection(await host.SignInAsync(email));
        await connection.StartAsync().Within($"{email} to reconnect");
        return connection;
    }

    /// <summary>A widget visitor session (POST /api/v1/widget/sessions), as the widget opens one.</summary>
    public static async Task<WidgetSessionResponse> WidgetSessionAsync(this ContactCenterHost host, Guid inboxId, string name, string? token = null)
    {
        using var http = host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inboxId, token, name));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
    }

    /// <summary>A widget customer: a session and a started /hubs/chat connection (<paramref name="configure"/> adds handlers before the start).</summary>
    public static async Task<(HubConnection Connection, string Token)> CustomerAsync(this ContactCenterHost host, Guid inboxId, string name, string? token = null,
        Action<HubConnection>? configure = null)
    {
        var session = await host.WidgetSessionAsync(inboxId, name, token);
        var connection = host.CustomerConnection(session.VisitorToken);
        configure?.Invoke(connection);
        await connection.StartAsync().Within($"customer {name} to connect");
        return (connection, session.VisitorToken);
    }

    public static Task<ChatSendResult> SayAsync(this HubConnection customer, string text) =>
        customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString("N"), text)).Within("a customer's send");

    public static Task<Presence> PresenceAsync(this ContactCenterHost host, AgentId agent) =>
        host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking().Where(a => a.Id == agent).Select(a => a.Presence).SingleAsync());

    public static Task UntilPresenceAsync(this ContactCenterHost host, AgentId agent, Presence expected) =>
        Waits.UntilAsync(async () => await host.PresenceAsync(agent) == expected, $"agent presence {expected}");

    public static Task<Conversation> ConversationAsync(this ContactCenterHost host, Guid id) =>
        host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == new ConversationId(id)));

    public static Task<List<TimelineEntry>> TimelineAsync(this ContactCenterHost host, Guid id) =>
        host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.ConversationId == new ConversationId(id)).OrderBy(t => t.OccurredAt).ThenBy(t => t.Id).ToListAsync());

    public static Task UpdateTeamAsync(this ContactCenterHost host, TeamId id, Action<Team> change) =>
        host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var team = await db.Teams.SingleAsync(t => t.Id == id);
            change(team);
            await db.SaveChangesAsync();
        });

    public static async Task<T> EventuallyAsync<T>(Func<T?> probe, string what) where T : class
    {
        T? found = null;
        await Waits.UntilAsync(() => Task.FromResult((found = probe()) is not null), what);
        return found!;
    }
}
