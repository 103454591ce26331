using Microsoft.AspNetCore.Mvc;
using System.Collections.Concurrent;
using System.Security.Claims;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Assign;
using ContactCenter.Application.Conversations.ChangeStatus;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web.Hubs;

public interface IAgentClient
{
    Task MessageCreated(MessageDto message);

    /// <summary>A message's delivery status changed (sent, delivered, read, failed with the reason).</summary>
    Task MessageUpdated(MessageDto message);

    Task ConversationUpdated(ConversationSummaryDto conversation);

    /// <summary>The conversation left this agent (reassigned or released): drop it from "mine".</summary>
    Task ConversationRemoved(Guid conversationId);

    Task PresenceChanged(AgentPresenceDto presence);

    /// <summary>Work offered to this agent: accept before it expires.</summary>
    Task OfferReceived(OfferDto offer);

    /// <summary>An offer to this agent ended (accepted elsewhere, declined, expired).</summary>
    Task OfferWithdrawn(Guid conversationId, bool expired);

    /// <summary>The customer of a watched conversation is typing (or stopped).</summary>
    Task CustomerTyping(Guid conversationId, bool isTyping);

    /// <summary>An SLA warning or breach was recorded (supervisors, and the assignee).</summary>
    Task SlaAlert(Application.Sla.SlaAlertDto alert);

    /// <summary>A colleague @mentioned this agent in a private note.</summary>
    Task Mentioned(ContactCenter.Application.Conversations.Mentions.MentionDto mention);
    /// <summary>An upset customer was escalated (to supervisors and the assignee).</summary>
    Task Escalated(Application.Assist.EscalationAlertDto alert);
    /// <summary>An automation rule or macro notified staff.</summary>
    Task StaffNotification(Application.Automation.StaffNotificationDto notification);
}

/// <summary>An admin-defined status label and the built-in status it refines.</summary>
public sealed record CustomStatusDto(string Key, string Label, ConversationStatus Category, string Color);

/// <summary>A reply; Attachments are files uploaded for this conversation (POST /api/v1/conversations/{id}/attachments).</summary>
public sealed record AgentReplyRequest(Guid ConversationId, string? Text, bool IsPrivate, string? ClientMessageId, IReadOnlyList<ContactCenter.Application.Files.AttachmentReference>? Attachments = null);

public sealed record AgentReplyResult(Guid MessageId, bool Duplicate);

/// <summary>An approved template to send (outside WhatsApp's 24-hour window): its name, language and parameters in placeholder order.</summary>
public sealed record AgentTemplateRequest(Guid ConversationId, string Name, string Language, IReadOnlyList<string> Parameters, string? ClientMessageId);

/// <summary>The agents' hub: only signed-in staff. Each connection joins its agent, team and (for supervisors) supervisors groups.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class AgentHub(
    AgentDirectory directory,
    PresenceTracker presenceTracker,
    SendAgentReplyHandler reply,
    AssignConversationHandler assign,
    ChangeConversationStatusHandler changeStatus,
    SetPresenceHandler presence,
    ConversationQueries queries,
    ContactCenter.Application.Supervision.SupervisorQueries supervision,
    ContactCenter.Application.Conversations.Offers.RespondToOfferHandler offers,
    ContactCenter.Application.Conversations.Transfer.TransferConversationHandler transfer,
    ContactCenter.Application.Conversations.Merge.MergeConversationsHandler merge,
    IHubContext<ChatHub, IChatClient> customers,
    ContactCenter.Application.Conversations.Update.UpdateConversationHandler update,
    ContactCenter.Application.Conversations.Update.StaffDirectoryQueries directoryQueries,
    ContactCenter.Application.Automation.ApplyMacroHandler macros) : Hub<IAgentClient>
{
    public const string Path = "/hubs/agent";
    public const string SupervisorsGroup = "supervisors";

    public static string AgentGroup(Guid agentId) => $"agent:{agentId:N}";

    public static string TeamGroup(Guid teamId) => $"team:{teamId:N}";

    public static string ConversationGroup(Guid conversationId) => $"conversation:{conversationId:N}";

    private StaffMember Staff => Context.Items["staff"] as StaffMember
        ?? throw new HubException("forbidden: No agent profile for this account.");

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var agent = await directory.FindByUserIdAsync(userId, Context.ConnectionAborted);
        if (agent is null)
        {
            // Signed in, but not staff with an agent profile: refuse the connection.
            throw new HubException("forbidden: No agent profile for this account.");
        }

        var staff = StaffMember.From(agent);
        Context.Items["staff"] = staff;
        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroup(agent.Id.Value));
        foreach (var team in agent.TeamIds)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TeamGroup(team.Value));
        }

        if (staff.IsSupervisor)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, SupervisorsGroup);
        }

        await presenceTracker.ConnectedAsync(agent.Id);

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["staff"] is StaffMember staff)
        {
            // Offline only if no connection comes back within the grace period (a reload or a network blip is not leaving).
            presenceTracker.Disconnected(staff.AgentId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    public async Task<AgentReplyResult> SendReply(AgentReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = HubResults.Ensure(await reply.HandleAsync(
            Staff,
            new SendAgentReply(new ConversationId(request.ConversationId), request.Text ?? "", request.IsPrivate, request.ClientMessageId, Attachments: request.Attachments),
            Context.ConnectionAborted));
        if (request.IsPrivate && !result.Duplicate)
        {
            await NotifyMentionsAsync(request.ConversationId, request.Text);
        }

        return new AgentReplyResult(result.MessageId.Value, result.Duplicate);
    }

    /// <summary>Every colleague "@Named" in a private note gets a live notification (their Mentions view lists the conversation).</summary>
    private async Task NotifyMentionsAsync(Guid conversationId, string? text)
    {
        var mentioned = ContactCenter.Application.Conversations.Mentions.MentionParser.Find(
            text, await directoryQueries.AgentsAsync(Context.ConnectionAborted), Staff.AgentId.Value);
        if (mentioned.Count == 0 || await queries.SummaryAsync(new ConversationId(conversationId), Context.ConnectionAborted) is not { } summary)
        {
            return;
        }

        var mention = new ContactCenter.Application.Conversations.Mentions.MentionDto(conversationId, summary.Number, Staff.DisplayName, text ?? "", DateTimeOffset.UtcNow);
        await Clients.Groups(mentioned.Select(a => AgentGroup(a.Id)).ToList()).Mentioned(mention);
    }

    /// <summary>Sends an approved template of the conversation's inbox; stored as an ordinary reply with the rendered text.</summary>
    public async Task<AgentReplyResult> SendTemplate(AgentTemplateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = HubResults.Ensure(await reply.HandleAsync(
            Staff,
            new SendAgentReply(new ConversationId(request.ConversationId), "", false, request.ClientMessageId,
                new ContactCenter.Application.Conversations.Reply.TemplateChoice(request.Name ?? "", request.Language ?? "", request.Parameters ?? [])),
            Context.ConnectionAborted));
        return new AgentReplyResult(result.MessageId.Value, result.Duplicate);
    }

    /// <summary>The approved templates of the conversation's inbox (empty for channels without templates).</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<IReadOnlyList<ContactCenter.Application.Conversations.Templates.MessageTemplate>> ListTemplates(
        Guid conversationId, [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Conversations.Templates.TemplateQueries templates) =>
        HubResults.Ensure(await templates.ListAsync(Staff, new ConversationId(conversationId), Context.ConnectionAborted));

    /// <summary>Assigns to an agent (supervisors), to oneself (agents), or releases with a null agent.</summary>
    public async Task Assign(Guid conversationId, Guid? agentId) =>
        HubResults.Ensure(await assign.HandleAsync(
            Staff,
            new AssignConversation(new ConversationId(conversationId), agentId is { } a ? new AgentId(a) : null),
            Context.ConnectionAborted));

    public async Task SetStatus(Guid conversationId, ConversationStatus status, DateTimeOffset? snoozeUntil) =>
        HubResults.Ensure(await changeStatus.HandleAsync(Staff, new ChangeConversationStatus(new ConversationId(conversationId), status, snoozeUntil), Context.ConnectionAborted));

    /// <summary>The admin-defined statuses (e.g. "Waiting on warehouse" refining Pending).</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<IReadOnlyList<CustomStatusDto>> ListCustomStatuses([Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Abstractions.IApplicationDbContext db) =>
        await db.CustomStatuses.AsNoTracking().OrderBy(s => s.Category).ThenBy(s => s.Label)
            .Select(s => new CustomStatusDto(s.Key, s.Label, s.Category, s.Color)).ToListAsync(Context.ConnectionAborted);

    /// <summary>Applies a custom status (its category becomes the status); a Snoozed one needs the time to wake up.</summary>
    public async Task SetCustomStatus(Guid conversationId, string key, DateTimeOffset? snoozeUntil) =>
        HubResults.Ensure(await changeStatus.HandleAsync(Staff, new ChangeConversationStatus(new ConversationId(conversationId), ConversationStatus.Open, snoozeUntil, key ?? ""), Context.ConnectionAborted));

    public async Task AcceptOffer(Guid conversationId) =>
        HubResults.Ensure(await offers.HandleAsync(Staff, new ContactCenter.Application.Conversations.Offers.RespondToOffer(new ConversationId(conversationId), Accept: true), Context.ConnectionAborted));

    public async Task DeclineOffer(Guid conversationId) =>
        HubResults.Ensure(await offers.HandleAsync(Staff, new ContactCenter.Application.Conversations.Offers.RespondToOffer(new ConversationId(conversationId), Accept: false), Context.ConnectionAborted));

    /// <summary>Transfers to an agent and/or a team's queue, with an optional note (kept as a private note).</summary>
    public async Task Transfer(Guid conversationId, Guid? toAgentId, Guid? toTeamId, string? note) =>
        HubResults.Ensure(await transfer.HandleAsync(
            Staff,
            new ContactCenter.Application.Conversations.Transfer.TransferConversation(
                new ConversationId(conversationId), toAgentId is { } a ? new AgentId(a) : null, toTeamId is { } t ? new TeamId(t) : null, note),
            Context.ConnectionAborted));

    /// <summary>Merges the source conversation into the target (same contact): the source closes, its messages show in the target.</summary>
    public async Task Merge(Guid sourceId, Guid targetId) =>
        HubResults.Ensure(await merge.HandleAsync(
            Staff,
            new ContactCenter.Application.Conversations.Merge.MergeConversations(new ConversationId(sourceId), new ConversationId(targetId)),
            Context.ConnectionAborted));

    /// <summary>The same contact's other open conversations, to merge with.</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ConversationSummaryDto>> MergeCandidates(Guid conversationId) =>
        queries.MergeCandidatesAsync(Staff, new ConversationId(conversationId), Context.ConnectionAborted);

    public async Task SetPriority(Guid conversationId, Priority priority) =>
        HubResults.Ensure(await update.HandleAsync(Staff, new ContactCenter.Application.Conversations.Update.UpdateConversation(new ConversationId(conversationId), Priority: priority), Context.ConnectionAborted));

    public async Task AddTag(Guid conversationId, string tag) =>
        HubResults.Ensure(await update.HandleAsync(Staff, new ContactCenter.Application.Conversations.Update.UpdateConversation(new ConversationId(conversationId), AddTag: tag), Context.ConnectionAborted));

    /// <summary>The macros this agent may apply to the conversation (everyone's and its team's).</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ContactCenter.Application.Automation.MacroDto>> ListMacros(Guid conversationId) =>
        macros.AvailableAsync(Staff, new ConversationId(conversationId), Context.ConnectionAborted);

    /// <summary>Applies a macro's actions in one save; the firing is audited with this agent's name.</summary>
    public async Task<ContactCenter.Application.Automation.AutomationFiringDto> ApplyMacro(Guid conversationId, Guid macroId) =>
        HubResults.Ensure(await macros.HandleAsync(Staff, new ConversationId(conversationId), macroId, Context.ConnectionAborted));

    public async Task RemoveTag(Guid conversationId, string tag) =>
        HubResults.Ensure(await update.HandleAsync(Staff, new ContactCenter.Application.Conversations.Update.UpdateConversation(new ConversationId(conversationId), RemoveTag: tag), Context.ConnectionAborted));

    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryAgentDto>> ListAgents() => directoryQueries.AgentsAsync(Context.ConnectionAborted);

    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ContactCenter.Application.Conversations.Update.DirectoryTeamDto>> ListTeams() => directoryQueries.TeamsAsync(Context.ConnectionAborted);

    /// <summary>The canned responses this agent may use (everyone's and their teams').</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ContactCenter.Application.Replies.CannedResponseDto>> ListCannedResponses(
        [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Replies.CannedResponseService canned) =>
        canned.ListAsync(Staff, Context.ConnectionAborted);

    public async Task SetPresence(Presence value, string? awayReason) =>
        HubResults.Ensure(await presence.HandleAsync(Staff.AgentId, value, awayReason, Context.ConnectionAborted));

    /// <summary>A supervisor or admin sets another agent's presence (audited); the agent's console and the dashboards hear it live.</summary>
    public async Task SetAgentPresence(Guid agentId, Presence value, string? awayReason, [FromServices] SupervisorSetPresenceHandler supervisorPresence) =>
        HubResults.Ensure(await supervisorPresence.HandleAsync(
            Staff, AuditActors.From(Context.User!, Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString()),
            new AgentId(agentId), value, awayReason, Context.ConnectionAborted));

    /// <summary>The signed-in agent's email signature (plain text, appended to their email replies), or null.</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<string?> GetSignature([Microsoft.AspNetCore.Mvc.FromServices] AgentSignatureHandler signatures) =>
        signatures.GetAsync(Staff.AgentId, Context.ConnectionAborted);

    /// <summary>Sets (blank: clears) the signed-in agent's own email signature.</summary>
    public async Task SetSignature(string? signature, [Microsoft.AspNetCore.Mvc.FromServices] AgentSignatureHandler signatures) =>
        HubResults.Ensure(await signatures.SetAsync(Staff.AgentId, signature, Context.ConnectionAborted));

    public sealed record AgentProfileDto(Guid AgentId, string DisplayName, StaffRole Role, IReadOnlyList<Guid> TeamIds);

    [RequiresScope(ApiScopes.Read)]
    public AgentProfileDto Me() => new(Staff.AgentId.Value, Staff.DisplayName, Staff.Role, Staff.TeamIds.Select(t => t.Value).ToList());

    /// <summary>Queues, agents and load for the supervisor dashboard (supervisors and admins only).</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<ContactCenter.Application.Supervision.SupervisorSnapshot> GetSupervisorSnapshot() =>
        Staff.IsSupervisor
            ? supervision.SnapshotAsync(Context.ConnectionAborted)
            : throw new HubFailureException(Error.Forbidden("Only supervisors see the dashboard."));

    [RequiresScope(ApiScopes.Read)]
    public Task<InboxCounts> GetCounts() => queries.CountsAsync(Staff, Context.ConnectionAborted);

    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ConversationSummaryDto>> ListConversations(InboxView view, ConversationStatus? status, string? search) =>
        queries.ListAsync(Staff, new InboxFilter(view, status, search), Context.ConnectionAborted);

    /// <summary>The inbox with filters (status, channel, priority, tag, team, SLA state) and search over messages too.</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<IReadOnlyList<ConversationSummaryDto>> ListConversationsFiltered(InboxFilter filter) =>
        queries.ListAsync(Staff, filter ?? new InboxFilter(InboxView.Mine), Context.ConnectionAborted);

    /// <summary>One page of the inbox list (keyset after the last row held, or skipping rows) and the view's total, for the virtualised list.</summary>
    [RequiresScope(ApiScopes.Read)]
    public Task<InboxPage> PageConversations(InboxFilter filter, InboxPageRequest request) =>
        queries.PageInboxAsync(Staff, filter ?? new InboxFilter(InboxView.Mine), request ?? new InboxPageRequest(null, 0, 50), Context.ConnectionAborted);

    /// <summary>The messages before the oldest one the console holds ("load earlier messages").</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<IReadOnlyList<MessageDto>> EarlierMessages(Guid conversationId, DateTimeOffset before, IReadOnlyList<Guid>? seenAtBefore, int take) =>
        await queries.EarlierMessagesAsync(Staff, new ConversationId(conversationId), before, seenAtBefore ?? [], take, Context.ConnectionAborted)
            ?? throw new HubFailureException(Error.NotFound("The conversation"));

    /// <summary>The contact's 360° profile (not found unless the caller may open one of the contact's conversations).</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<ContactCenter.Application.Contacts.ContactProfileDto> GetContact(Guid contactId, [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Contacts.ContactQueries contacts) =>
        await contacts.ProfileAsync(Staff, new ContactId(contactId), Context.ConnectionAborted) ?? throw new HubFailureException(Error.NotFound("The contact"));

    /// <summary>Likely duplicates of a contact (same name, email or phone) to merge.</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<IReadOnlyList<ContactCenter.Application.Contacts.ContactMatchDto>> ContactDuplicates(Guid contactId, [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Contacts.ContactQueries contacts)
    {
        _ = await GetContact(contactId, contacts);
        return await contacts.DuplicatesAsync(new ContactId(contactId), Context.ConnectionAborted);
    }

    public async Task EditContact(Guid contactId, string? name, string? notes, [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Contacts.EditContactHandler edit) =>
        HubResults.Ensure(await edit.HandleAsync(Staff, new ContactCenter.Application.Contacts.EditContact(new ContactId(contactId), name, notes), Context.ConnectionAborted));

    /// <summary>Merges the source contact into the target: identities, attributes and conversations move over.</summary>
    public async Task MergeContacts(Guid sourceId, Guid targetId, [Microsoft.AspNetCore.Mvc.FromServices] ContactCenter.Application.Contacts.MergeContactsHandler mergeContacts) =>
        HubResults.Ensure(await mergeContacts.HandleAsync(Staff, new ContactCenter.Application.Contacts.MergeContacts(new ContactId(sourceId), new ContactId(targetId)), Context.ConnectionAborted));

    [RequiresScope(ApiScopes.Read)]
    public async Task<ConversationDetail> GetConversation(Guid conversationId) =>
        await queries.DetailAsync(Staff, new ConversationId(conversationId), 1000, Context.ConnectionAborted)
        ?? throw new HubFailureException(Error.NotFound("The conversation"));

    /// <summary>Agent assist for a conversation the caller may see: the extractive summary and suggested replies.</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task<AssistDto> GetAssist(Guid conversationId, [FromServices] ContactCenter.Application.Assist.AgentAssistService assist)
    {
        ArgumentNullException.ThrowIfNull(assist);
        _ = await GetConversation(conversationId);
        var id = new ConversationId(conversationId);
        return new AssistDto(await assist.SummaryAsync(id, Context.ConnectionAborted), await assist.SuggestionsAsync(id, Context.ConnectionAborted));
    }

    /// <summary>An LLM draft (marked as generated) for the agent to edit; fails when drafting is off.</summary>
    public async Task<ContactCenter.Application.Assist.SuggestedReply> DraftReply(Guid conversationId, [FromServices] ContactCenter.Application.Assist.AgentAssistService assist)
    {
        ArgumentNullException.ThrowIfNull(assist);
        _ = await GetConversation(conversationId);
        var draft = await assist.DraftAsync(new ConversationId(conversationId), Context.ConnectionAborted);
        return draft.IsSuccess ? draft.Value! : throw new HubFailureException(draft.Error!);
    }

    public sealed record AssistDto(string Summary, IReadOnlyList<ContactCenter.Application.Assist.SuggestedReply> Suggestions);

    /// <summary>Follow a conversation's live messages while it is open on screen.</summary>
    [RequiresScope(ApiScopes.Read)]
    public async Task Watch(Guid conversationId)
    {
        var summary = await queries.SummaryAsync(new ConversationId(conversationId), Context.ConnectionAborted);
        if (summary is null || !Staff.CanView(summary))
        {
            throw new HubFailureException(Error.NotFound("The conversation"));
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
    }

    /// <summary>The agent is typing a reply (not a private note): the web chat customer sees an indicator.</summary>
    public async Task Typing(Guid conversationId, bool isTyping)
    {
        var summary = await queries.SummaryAsync(new ConversationId(conversationId), Context.ConnectionAborted);
        if (summary is null || !Staff.CanView(summary))
        {
            throw new HubFailureException(Error.NotFound("The conversation"));
        }

        if (summary.Channel == ChannelKind.WebChat)
        {
            await customers.Clients.Group(ChatHub.ContactGroup(summary.ContactId)).AgentTyping(isTyping);
        }
    }

    [RequiresScope(ApiScopes.Read)]
    public Task Unwatch(Guid conversationId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
}

/// <summary>
/// Counts each agent's live connections on this node, so presence follows the first connect and the
/// last disconnect — after a grace period, so a page reload or a network blip does not take the agent
/// offline (and give away their chats).
/// </summary>
public sealed partial class PresenceTracker(IServiceScopeFactory scopes, TimeProvider time, IOptions<ContactCenter.Application.Routing.RoutingOptions> options, ILogger<PresenceTracker> logger)
{
    private readonly ConcurrentDictionary<AgentId, int> _counts = new();
    private readonly ConcurrentDictionary<AgentId, SemaphoreSlim> _locks = new();

    public int Count(AgentId agent) => _counts.GetValueOrDefault(agent);

    /// <summary>Counts a connection in; the first one brings an offline agent online (an away agent stays away).</summary>
    public async Task ConnectedAsync(AgentId agent)
    {
        if (_counts.AddOrUpdate(agent, 1, (_, n) => n + 1) == 1)
        {
            await ApplyAsync(agent);
        }
    }

    /// <summary>Counts a connection down; after the last one, sets the agent offline unless one returns within the grace period.</summary>
    public void Disconnected(AgentId agent)
    {
        var left = _counts.AddOrUpdate(agent, 0, (_, n) => Math.Max(0, n - 1));
        if (left > 0)
        {
            return;
        }

        var grace = options.Value.OfflineGrace;
        if (grace <= TimeSpan.Zero)
        {
            _ = ApplyAsync(agent);
            return;
        }

        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                timer?.Dispose();
                _ = ApplyAsync(agent);
            },
            null,
            grace,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Brings the stored presence in line with the connections, one transition per agent at a time:
    /// whichever of a reconnect and a pending offline check runs last sees the true count.
    /// </summary>
    private async Task ApplyAsync(AgentId agent)
    {
        var gate = _locks.GetOrAdd(agent, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ContactCenter.Application.Abstractions.IApplicationDbContext>();
            var current = await db.Agents.AsNoTracking().Where(a => a.Id == agent).Select(a => (Presence?)a.Presence).FirstOrDefaultAsync();
            var connected = Count(agent) > 0;
            Presence? target = connected && current == Presence.Offline ? Presence.Online
                : !connected && current is Presence.Online or Presence.Away ? Presence.Offline
                : null;
            if (target is { } value)
            {
                await scope.ServiceProvider.GetRequiredService<SetPresenceHandler>().HandleAsync(agent, value, null, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // a background presence update must not crash the process; the next connect corrects it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOfflineFailed(logger, ex, agent.ToString());
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating agent {Agent} presence failed")]
    private static partial void LogOfflineFailed(ILogger logger, Exception ex, string agent);
}
