using System.Text.Json.Serialization;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Web.Realtime;

/// <summary>
/// A console's (Blazor circuit's) own SignalR connection to /hubs/agent, as the signed-in user.
/// The console reads and acts through the same hub as any other agent client, and receives live events
/// through SignalR, so with the Redis backplane a console on one node sees what happened on another.
/// </summary>
public sealed class AgentConsoleConnection(
    AuthenticationStateProvider authentication,
    ConsoleTokenService tokens,
    SelfUrl selfUrl) : IAsyncDisposable
{
    private HubConnection? _connection;
    private readonly SemaphoreSlim _startLock = new(1, 1);

    public event Func<MessageDto, Task>? MessageCreated;
    public event Func<MessageDto, Task>? MessageUpdated;
    public event Func<ConversationSummaryDto, Task>? ConversationUpdated;
    public event Func<Guid, Task>? ConversationRemoved;
    public event Func<AgentPresenceDto, Task>? PresenceChanged;
    public event Func<HubConnectionState, Task>? StateChanged;
    public event Func<OfferDto, Task>? OfferReceived;
    public event Func<(Guid ConversationId, bool Expired), Task>? OfferWithdrawn;
    public event Func<(Guid ConversationId, bool IsTyping), Task>? CustomerTyping;
    public event Func<ContactCenter.Application.Sla.SlaAlertDto, Task>? SlaAlert;
    public event Func<ContactCenter.Application.Conversations.Mentions.MentionDto, Task>? Mentioned;
    public event Func<ContactCenter.Application.Assist.EscalationAlertDto, Task>? Escalated;

    /// <summary>An automation rule or macro notified this agent or the supervisors.</summary>
    public event Func<ContactCenter.Application.Automation.StaffNotificationDto, Task>? StaffNotification;

    public HubConnectionState State => _connection?.State ?? HubConnectionState.Disconnected;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null)
            {
                return;
            }

            var user = (await authentication.GetAuthenticationStateAsync()).User;
            var token = tokens.Issue(user);
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(selfUrl.Get(), AgentHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                .WithAutomaticReconnect()
                .Build();
            connection.On<MessageDto>(nameof(IAgentClient.MessageCreated), m => Raise(MessageCreated, m));
            connection.On<MessageDto>(nameof(IAgentClient.MessageUpdated), m => Raise(MessageUpdated, m));
            connection.On<ConversationSummaryDto>(nameof(IAgentClient.ConversationUpdated), c => Raise(ConversationUpdated, c));
            connection.On<Guid>(nameof(IAgentClient.ConversationRemoved), id => Raise(ConversationRemoved, id));
            connection.On<AgentPresenceDto>(nameof(IAgentClient.PresenceChanged), p => Raise(PresenceChanged, p));
            connection.On<OfferDto>(nameof(IAgentClient.OfferReceived), o => Raise(OfferReceived, o));
            connection.On<Guid, bool>(nameof(IAgentClient.OfferWithdrawn), (id, expired) => Raise(OfferWithdrawn, (id, expired)));
            connection.On<Guid, bool>(nameof(IAgentClient.CustomerTyping), (id, typing) => Raise(CustomerTyping, (id, typing)));
            connection.On<ContactCenter.Application.Sla.SlaAlertDto>(nameof(IAgentClient.SlaAlert), a => Raise(SlaAlert, a));
            connection.On<ContactCenter.Application.Conversations.Mentions.MentionDto>(nameof(IAgentClient.Mentioned), m => Raise(Mentioned, m));
            connection.On<ContactCenter.Application.Assist.EscalationAlertDto>(nameof(IAgentClient.Escalated), a => Raise(Escalated, a));
            connection.On<ContactCenter.Application.Automation.StaffNotificationDto>(nameof(IAgentClient.StaffNotification), n => Raise(StaffNotification, n));
            connection.Reconnected += _ => Raise(StateChanged, HubConnectionState.Connected);
            connection.Reconnecting += _ => Raise(StateChanged, HubConnectionState.Reconnecting);
            connection.Closed += _ => Raise(StateChanged, HubConnectionState.Disconnected);
            await connection.StartAsync(cancellationToken);
            _connection = connection;
            await Raise(StateChanged, HubConnectionState.Connected);
        }
        finally
        {
            _startLock.Release();
        }
    }

    private static Task Raise<T>(Func<T, Task>? handlers, T value) =>
        handlers is null ? Task.CompletedTask : Task.WhenAll(handlers.GetInvocationList().Cast<Func<T, Task>>().Select(h => h(value)));

    private HubConnection Connection => _connection ?? throw new InvalidOperationException("The console is not connected yet.");

    public Task<IReadOnlyList<ConversationSummaryDto>> ListAsync(InboxView view, ConversationStatus? status, string? search, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.ListConversations), view, status, search, ct);

    public Task<IReadOnlyList<ConversationSummaryDto>> ListAsync(InboxFilter filter, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.ListConversationsFiltered), filter, ct);

    public Task<InboxPage> PageAsync(InboxFilter filter, InboxPageRequest request, CancellationToken ct) =>
        Connection.InvokeAsync<InboxPage>(nameof(AgentHub.PageConversations), filter, request, ct);

    public Task<IReadOnlyList<MessageDto>> EarlierMessagesAsync(Guid conversationId, DateTimeOffset before, IReadOnlyList<Guid> seenAtBefore, int take, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<MessageDto>>(nameof(AgentHub.EarlierMessages), conversationId, before, seenAtBefore, take, ct);

    public Task<IReadOnlyList<CustomStatusDto>> CustomStatusesAsync(CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<CustomStatusDto>>(nameof(AgentHub.ListCustomStatuses), ct);

    public Task SetCustomStatusAsync(Guid conversationId, string key, DateTimeOffset? snoozeUntil, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.SetCustomStatus), conversationId, key, snoozeUntil, ct);

    public Task<ContactCenter.Application.Contacts.ContactProfileDto> ContactAsync(Guid contactId, CancellationToken ct) =>
        Connection.InvokeAsync<ContactCenter.Application.Contacts.ContactProfileDto>(nameof(AgentHub.GetContact), contactId, ct);

    public Task<IReadOnlyList<ContactCenter.Application.Contacts.ContactMatchDto>> ContactDuplicatesAsync(Guid contactId, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Contacts.ContactMatchDto>>(nameof(AgentHub.ContactDuplicates), contactId, ct);

    public Task EditContactAsync(Guid contactId, string? name, string? notes, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.EditContact), contactId, name, notes, ct);

    public Task MergeContactsAsync(Guid sourceId, Guid targetId, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.MergeContacts), sourceId, targetId, ct);

    public Task<AgentHub.AgentProfileDto> MeAsync(CancellationToken ct) => Connection.InvokeAsync<AgentHub.AgentProfileDto>(nameof(AgentHub.Me), ct);

    public Task<ContactCenter.Application.Supervision.SupervisorSnapshot> SupervisorSnapshotAsync(CancellationToken ct) =>
        Connection.InvokeAsync<ContactCenter.Application.Supervision.SupervisorSnapshot>(nameof(AgentHub.GetSupervisorSnapshot), ct);

    public Task<AgentHub.AssistDto> AssistAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<AgentHub.AssistDto>(nameof(AgentHub.GetAssist), conversationId, ct);

    public Task<ContactCenter.Application.Assist.SuggestedReply> DraftReplyAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<ContactCenter.Application.Assist.SuggestedReply>(nameof(AgentHub.DraftReply), conversationId, ct);

    public Task<InboxCounts> CountsAsync(CancellationToken ct) => Connection.InvokeAsync<InboxCounts>(nameof(AgentHub.GetCounts), ct);

    public Task<ConversationDetail> GetAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<ConversationDetail>(nameof(AgentHub.GetConversation), conversationId, ct);

    public Task WatchAsync(Guid conversationId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.Watch), conversationId, ct);

    public Task UnwatchAsync(Guid conversationId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.Unwatch), conversationId, ct);

    public Task<AgentReplyResult> ReplyAsync(AgentReplyRequest request, CancellationToken ct) =>
        Connection.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), request, ct);

    public Task<AgentReplyResult> SendTemplateAsync(AgentTemplateRequest request, CancellationToken ct) =>
        Connection.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendTemplate), request, ct);

    public Task<IReadOnlyList<ContactCenter.Application.Conversations.Templates.MessageTemplate>> TemplatesAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Conversations.Templates.MessageTemplate>>(nameof(AgentHub.ListTemplates), conversationId, ct);

    public Task<IReadOnlyList<ContactCenter.Application.Automation.MacroDto>> MacrosAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Automation.MacroDto>>(nameof(AgentHub.ListMacros), conversationId, ct);

    public Task<ContactCenter.Application.Automation.AutomationFiringDto> ApplyMacroAsync(Guid conversationId, Guid macroId, CancellationToken ct) =>
        Connection.InvokeAsync<ContactCenter.Application.Automation.AutomationFiringDto>(nameof(AgentHub.ApplyMacro), conversationId, macroId, ct);

    public Task AssignAsync(Guid conversationId, Guid? agentId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.Assign), conversationId, agentId, ct);

    public Task SetStatusAsync(Guid conversationId, ConversationStatus status, DateTimeOffset? snoozeUntil, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.SetStatus), conversationId, status, snoozeUntil, ct);

    public Task AcceptOfferAsync(Guid conversationId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.AcceptOffer), conversationId, ct);

    public Task DeclineOfferAsync(Guid conversationId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.DeclineOffer), conversationId, ct);

    public Task TransferAsync(Guid conversationId, Guid? toAgentId, Guid? toTeamId, string? note, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.Transfer), conversationId, toAgentId, toTeamId, note, ct);

    public Task MergeAsync(Guid sourceId, Guid targetId, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.Merge), sourceId, targetId, ct);

    public Task<IReadOnlyList<ConversationSummaryDto>> MergeCandidatesAsync(Guid conversationId, CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ConversationSummaryDto>>(nameof(AgentHub.MergeCandidates), conversationId, ct);

    public Task SetPriorityAsync(Guid conversationId, Priority priority, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.SetPriority), conversationId, priority, ct);

    public Task AddTagAsync(Guid conversationId, string tag, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.AddTag), conversationId, tag, ct);

    public Task RemoveTagAsync(Guid conversationId, string tag, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.RemoveTag), conversationId, tag, ct);

    public Task TypingAsync(Guid conversationId, bool isTyping, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.Typing), conversationId, isTyping, ct);

    public Task<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryAgentDto>> AgentsAsync(CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryAgentDto>>(nameof(AgentHub.ListAgents), ct);

    public Task<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryTeamDto>> TeamsAsync(CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryTeamDto>>(nameof(AgentHub.ListTeams), ct);

    public Task<IReadOnlyList<ContactCenter.Application.Replies.CannedResponseDto>> CannedResponsesAsync(CancellationToken ct) =>
        Connection.InvokeAsync<IReadOnlyList<ContactCenter.Application.Replies.CannedResponseDto>>(nameof(AgentHub.ListCannedResponses), ct);

    public Task<string?> GetSignatureAsync(CancellationToken ct) => Connection.InvokeAsync<string?>(nameof(AgentHub.GetSignature), ct);

    public Task SetSignatureAsync(string? signature, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.SetSignature), signature, ct);

    public Task SetPresenceAsync(Presence presence, string? reason, CancellationToken ct) => Connection.InvokeAsync(nameof(AgentHub.SetPresence), presence, reason, ct);

    public Task SetAgentPresenceAsync(Guid agentId, Presence presence, string? reason, CancellationToken ct) =>
        Connection.InvokeAsync(nameof(AgentHub.SetAgentPresence), agentId, presence, reason, ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _startLock.Dispose();
    }
}

/// <summary>Where this node can reach itself (Console:HubBaseUrl, else the first address Kestrel listens on).</summary>
public sealed class SelfUrl(IServer server, IConfiguration config)
{
    public Uri Get()
    {
        if (config["Console:HubBaseUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri;
    }
}
