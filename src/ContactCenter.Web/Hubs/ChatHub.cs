using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Contacts;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Hubs;

public interface IChatClient
{
    /// <summary>A message in the customer's conversation (their own echo from another tab, or the agent's reply).</summary>
    Task MessageReceived(ChatMessageDto message);

    /// <summary>An agent took the conversation.</summary>
    Task AgentAssigned(string agentName);

    /// <summary>While waiting: place in the queue (1 = next) and an estimated wait in seconds.</summary>
    Task QueueUpdated(int position, int estimatedWaitSeconds);

    /// <summary>The agent started or stopped typing.</summary>
    Task AgentTyping(bool isTyping);
}

/// <param name="TeamId">Optional topic/team chosen in the widget for a new conversation (one of the inbox's offered teams).</param>
public sealed record ChatSendRequest(string? ClientMessageId, string? Text, Guid? TeamId = null);

public sealed record ChatSendResult(Guid MessageId, Guid ConversationId, bool Duplicate);

/// <summary>The customers' hub (the widget's protocol). A visitor token scopes the caller to their own contact and inbox.</summary>
[Authorize(Policy = Policies.Visitor)]
public sealed class ChatHub(ReceiveInboundMessageHandler receive, VisitorQueries visitors, IHubContext<AgentHub, IAgentClient> agents) : Hub<IChatClient>
{
    public const string Path = "/hubs/chat";

    public static string ContactGroup(Guid contactId) => $"contact:{contactId:N}";

    public override async Task OnConnectedAsync()
    {
        var ticket = Context.User!.Ticket()!;
        await Groups.AddToGroupAsync(Context.ConnectionId, ContactGroup(ticket.ContactId.Value));
        await base.OnConnectedAsync();
    }

    public async Task<ChatSendResult> SendMessage(ChatSendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ticket = Context.User!.Ticket()!;
        if (string.IsNullOrWhiteSpace(request.ClientMessageId) || request.ClientMessageId.Length > WidgetMessageIds.MaxClientIdLength)
        {
            throw new HubFailureException(Domain.Common.Error.Validation("message.client_id", $"Each message needs a client message id of at most {WidgetMessageIds.MaxClientIdLength} characters (it makes retries safe)."));
        }

        var result = HubResults.Ensure(await receive.HandleAsync(
            new InboundMessage(
                ticket.InboxId,
                ContactIdentity.Create(IdentityKind.WidgetVisitor, ticket.VisitorId),
                SenderName: null,
                ExternalId: WidgetMessageIds.Compose(ticket.VisitorId, request.ClientMessageId),
                Text: request.Text ?? "",
                Hints: request.TeamId is { } team ? new RoutingHints(new Domain.Common.TeamId(team)) : null),
            Context.ConnectionAborted));

        if (result.ContactId != ticket.ContactId)
        {
            throw new HubFailureException(Domain.Common.Error.Conflict("message.client_id", "That client message id is already used."));
        }

        return new ChatSendResult(result.MessageId.Value, result.ConversationId.Value, result.Duplicate);
    }

    /// <summary>The customer is typing (or stopped): shown to the agents watching their open conversation.</summary>
    public async Task Typing(bool isTyping)
    {
        var ticket = Context.User!.Ticket()!;
        if (await visitors.OpenConversationAsync(ticket.ContactId, ticket.InboxId, Context.ConnectionAborted) is { } conversationId)
        {
            await agents.Clients.Group(AgentHub.ConversationGroup(conversationId.Value)).CustomerTyping(conversationId.Value, isTyping);
        }
    }

    /// <summary>The visitor's messages on this inbox (never private notes), oldest first.</summary>
    public async Task<IReadOnlyList<ChatMessageDto>> GetHistory()
    {
        var ticket = Context.User!.Ticket()!;
        return await visitors.HistoryAsync(ticket.ContactId, ticket.InboxId, 200, Context.ConnectionAborted);
    }
}
