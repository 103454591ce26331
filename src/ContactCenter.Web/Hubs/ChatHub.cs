using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Events;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Files;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
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

    /// <summary>The chat ended (resolved or closed, by the customer or an agent): the widget offers the CSAT rating.</summary>
    Task ChatEnded(Guid conversationId);
}

/// <param name="TeamId">Optional topic/team chosen in the widget for a new conversation (one of the inbox's offered teams).</param>
/// <param name="Attachments">Files uploaded by this visitor (POST /api/v1/widget/attachments) to send with the message.</param>
public sealed record ChatSendRequest(string? ClientMessageId, string? Text, Guid? TeamId = null, IReadOnlyList<AttachmentReference>? Attachments = null);

public sealed record ChatSendResult(Guid MessageId, Guid ConversationId, bool Duplicate);

public sealed record ChatRatingResult(Guid ConversationId, int Rating, bool Duplicate);

/// <summary>The customers' hub (the widget's protocol). A visitor token scopes the caller to their own contact and inbox.</summary>
[Authorize(Policy = Policies.Visitor)]
public sealed class ChatHub(
    ReceiveInboundMessageHandler receive,
    VisitorQueries visitors,
    IHubContext<AgentHub, IAgentClient> agents,
    VisitorMessageLimiter limiter,
    EndVisitorChatHandler endChat,
    RateConversationHandler rate,
    ChatStateQuery state,
    VisitorFiles files,
    RequestTranscriptHandler transcripts,
    MarkChatReadHandler reads) : Hub<IChatClient>
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

        if (!limiter.TryAcquire(ticket.VisitorId, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            throw new HubException($"rate_limited: Too many messages in a short time; wait {seconds} s and try again.");
        }

        var attachments = HubResults.Ensure(await files.ResolveAsync(ticket.InboxId, ticket.ContactId, request.Attachments, Context.ConnectionAborted));
        var result = HubResults.Ensure(await receive.HandleAsync(
            new InboundMessage(
                ticket.InboxId,
                ContactIdentity.Create(IdentityKind.WidgetVisitor, ticket.VisitorId),
                SenderName: null,
                ExternalId: WidgetMessageIds.Compose(ticket.VisitorId, request.ClientMessageId),
                Text: request.Text ?? "",
                Attachments: attachments.Count > 0 ? attachments : null,
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

    /// <summary>The customer ends their chat: the conversation is resolved by them (a repeat changes nothing).</summary>
    public async Task<EndVisitorChatResult> EndChat()
    {
        var ticket = Context.User!.Ticket()!;
        return HubResults.Ensure(await endChat.HandleAsync(new EndVisitorChat(ticket.ContactId, ticket.InboxId), Context.ConnectionAborted));
    }

    /// <summary>CSAT: the customer rates their ended chat 1–5 with an optional comment (≤ 1000 characters). One rating per chat.</summary>
    public async Task<ChatRatingResult> RateConversation(int rating, string? comment)
    {
        var ticket = Context.User!.Ticket()!;
        var result = HubResults.Ensure(await rate.HandleAsync(new RateConversation(ticket.ContactId, ticket.InboxId, rating, comment), Context.ConnectionAborted));
        return new ChatRatingResult(result.ConversationId, result.Score, result.Duplicate);
    }

    /// <summary>Emails the transcript of one of the customer's own chats (the latest when no id) to the address they give; rate-limited.</summary>
    public async Task<TranscriptRequestResult> RequestTranscript(Guid? conversationId, string? email, string? locale)
    {
        var ticket = Context.User!.Ticket()!;
        return HubResults.Ensure(await transcripts.HandleAsync(new RequestTranscript(ticket.ContactId, ticket.InboxId, conversationId, email, locale), Context.ConnectionAborted));
    }

    /// <summary>Read receipt: the customer has seen the agents' replies up to this message (shown as read in the console).</summary>
    public async Task<ChatReadResult> MarkRead(Guid messageId)
    {
        var ticket = Context.User!.Ticket()!;
        return HubResults.Ensure(await reads.HandleAsync(new MarkChatRead(ticket.ContactId, ticket.InboxId, new Domain.Common.MessageId(messageId)), Context.ConnectionAborted));
    }

    /// <summary>Where the customer's latest chat stands (waiting, with an agent, ended and whether rated): for a widget that (re)connects.</summary>
    public Task<ChatStateDto> GetChatState()
    {
        var ticket = Context.User!.Ticket()!;
        return state.GetAsync(ticket.ContactId, ticket.InboxId, Context.ConnectionAborted);
    }

    /// <summary>The visitor's messages on this inbox (never private notes), oldest first.</summary>
    public async Task<IReadOnlyList<ChatMessageDto>> GetHistory()
    {
        var ticket = Context.User!.Ticket()!;
        return await visitors.HistoryAsync(ticket.ContactId, ticket.InboxId, 200, Context.ConnectionAborted);
    }
}

/// <summary>Tells the web chat customer when their chat ends (resolved or closed by anyone), so the widget can ask for a rating.</summary>
public sealed class ChatEndedNotifier(ContactCenter.Application.Abstractions.IApplicationDbContext db, IHubContext<ChatHub, IChatClient> customers)
    : IDomainEventHandler<ConversationStatusChanged>
{
    public async Task HandleAsync(ConversationStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.To is not (ConversationStatus.Resolved or ConversationStatus.Closed)
            || domainEvent.From is ConversationStatus.Resolved or ConversationStatus.Closed)
        {
            return;
        }

        var conversation = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Conversations.Where(c => c.Id == domainEvent.ConversationId).Select(c => new { c.ContactId, c.Channel }), cancellationToken);
        if (conversation is { Channel: Domain.Common.ChannelKind.WebChat })
        {
            await customers.Clients.Group(ChatHub.ContactGroup(conversation.ContactId.Value)).ChatEnded(domainEvent.ConversationId.Value);
        }
    }
}
