using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Conversations;

/// <summary>The ticket: one thread with one customer on one inbox, from first message to close.</summary>
public sealed partial class Conversation : AggregateRoot
{
    public const int MaxTags = 30;
    public const int MaxSubjectLength = 300;

    private readonly List<Message> _messages = [];
    private readonly List<TimelineEntry> _timeline = [];
    private IReadOnlyList<string> _tags = [];
    private IReadOnlyDictionary<string, string> _attributes = new Dictionary<string, string>(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, int> _requiredSkills = new Dictionary<string, int>(StringComparer.Ordinal);
    private IReadOnlyList<AgentId> _declinedAgentIds = [];

    private Conversation() { }

    public ConversationId Id { get; private set; }

    /// <summary>The human ticket number (#1234), unique, allocated by the application.</summary>
    public long Number { get; private set; }

    /// <summary>Open with this number to have the store give the conversation the next number in the transaction that saves it.</summary>
    public const long NumberOnSave = 0;

    public InboxId InboxId { get; private set; }
    public ChannelKind Channel { get; private set; }
    public ContactId ContactId { get; private set; }
    public string Subject { get; private set; } = "";
    public ConversationStatus Status { get; private set; }
    public string? CustomStatusKey { get; private set; }
    public DateTimeOffset? SnoozedUntil { get; private set; }
    public Priority Priority { get; private set; }
    public TeamId? TeamId { get; private set; }
    public AgentId? AssigneeId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }
    public DateTimeOffset? LastCustomerMessageAt { get; private set; }
    public DateTimeOffset? FirstRespondedAt { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Since when the conversation has been waiting for an agent (null while assigned or inactive).</summary>
    public DateTimeOffset? WaitingSince { get; private set; }

    public DateTimeOffset? FirstResponseDueAt { get; private set; }
    public DateTimeOffset? NextResponseDueAt { get; private set; }
    public DateTimeOffset? ResolutionDueAt { get; private set; }

    public ConversationId? MergedIntoId { get; private set; }

    /// <summary>The agent currently offered this conversation (offer mode), until <see cref="OfferExpiresAt"/>.</summary>
    public AgentId? OfferedAgentId { get; private set; }

    public DateTimeOffset? OfferExpiresAt { get; private set; }

    /// <summary>Agents who declined or let an offer expire while it waited this time; the router passes them over.</summary>
    public IReadOnlyList<AgentId> DeclinedAgentIds => _declinedAgentIds;

    /// <summary>Skills (with minimum levels) an agent needs to take this conversation (from the widget's choice, the inbox, rules).</summary>
    public IReadOnlyDictionary<string, int> RequiredSkills => _requiredSkills;

    /// <summary>Optimistic concurrency token: bumped on every save of a changed conversation.</summary>
    public int Version { get; private set; }

    public string? LastMessagePreview { get; private set; }

    public IReadOnlyList<string> Tags => _tags;
    public IReadOnlyDictionary<string, string> Attributes => _attributes;

    /// <summary>Messages added in this unit of work (not a loaded history: query messages to read them).</summary>
    public IReadOnlyList<Message> Messages => _messages;

    /// <summary>Timeline entries added in this unit of work.</summary>
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    public bool IsWaitingForAgent => WaitingSince is not null;

    public static Conversation Open(
        long number,
        InboxId inboxId,
        ChannelKind channel,
        ContactId contactId,
        string? subject,
        TeamId? teamId,
        Actor actor,
        DateTimeOffset now)
    {
        var conversation = new Conversation
        {
            Id = ConversationId.New(),
            Number = number,
            InboxId = inboxId,
            Channel = channel,
            ContactId = contactId,
            Subject = TrimSubject(subject),
            Status = ConversationStatus.New,
            Priority = Priority.Normal,
            TeamId = teamId,
            CreatedAt = now,
            UpdatedAt = now,
            LastMessageAt = now,
            WaitingSince = now,
        };
        conversation.AddTimeline(TimelineKind.Created, actor, now, to: channel.ToString());
        conversation.Raise(new ConversationCreated(conversation.Id, inboxId, teamId, channel, now));
        conversation.Raise(new ConversationNeedsAgent(conversation.Id, teamId, now));
        return conversation;
    }

    private static string TrimSubject(string? subject)
    {
        var s = (subject ?? "").ReplaceLineEndings(" ").Trim();
        return s.Length <= MaxSubjectLength ? s : s[..MaxSubjectLength];
    }

    /// <summary>A message from the customer. Reopens a resolved/pending/snoozed conversation; a closed one refuses (open a new one).</summary>
    public Result<Message> ReceiveFromContact(string contactName, MessageContent content, string? externalId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        var valid = content.Validate();
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (Status == ConversationStatus.Closed)
        {
            return Error.Conflict("conversation.closed", "The conversation is closed; a new one must be opened.");
        }

        var message = Message.Create(this, MessageDirection.Inbound, AuthorKind.Contact, ContactId.ToString(), contactName, content, isPrivate: false, externalId, now);
        _messages.Add(message);
        LastMessageAt = now;
        LastCustomerMessageAt = now;
        AwaitingReplySince ??= now;
        LastMessagePreview = Preview(content.Text);
        UpdatedAt = now;
        AddTimeline(TimelineKind.MessageReceived, Actor.Contact(ContactId, contactName), now);

        if (Status is ConversationStatus.Resolved or ConversationStatus.Pending or ConversationStatus.Snoozed)
        {
            SetStatusCore(ConversationStatus.Open, null, Actor.Contact(ContactId, contactName), now);
        }

        Raise(new MessageAdded(Id, message.Id, MessageDirection.Inbound, false, now));
        return message;
    }

    /// <summary>An agent's reply (or private note when isPrivate).</summary>
    public Result<Message> ReplyFromAgent(AgentId agentId, string agentName, MessageContent content, bool isPrivate, string? externalId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        var valid = content.Validate();
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (Status == ConversationStatus.Closed && !isPrivate)
        {
            return Error.Conflict("conversation.closed", "The conversation is closed; replies are no longer sent.");
        }

        var actor = Actor.Agent(agentId, agentName);
        var message = Message.Create(this, MessageDirection.Outbound, AuthorKind.Agent, agentId.ToString(), agentName, content, isPrivate, externalId, now);
        _messages.Add(message);
        UpdatedAt = now;
        if (isPrivate)
        {
            AddTimeline(TimelineKind.NoteAdded, actor, now);
        }
        else
        {
            LastMessageAt = now;
            LastMessagePreview = Preview(content.Text);
            FirstRespondedAt ??= now;
            AwaitingReplySince = null;
            AddTimeline(TimelineKind.MessageSent, actor, now);
            if (Status == ConversationStatus.New)
            {
                SetStatusCore(ConversationStatus.Open, null, actor, now);
            }
        }

        Raise(new MessageAdded(Id, message.Id, MessageDirection.Outbound, isPrivate, now));
        return message;
    }

    /// <summary>
    /// A channel reported on one of this conversation's outbound messages (sent, delivered, read, failed). Delivery only
    /// moves forward; a change is announced so consoles show it live.
    /// </summary>
    public Result ReportDelivery(Message message, DeliveryStatus status, DateTimeOffset now, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ConversationId != Id)
        {
            return Error.Validation("message.conversation", "The message belongs to another conversation.");
        }

        var before = (message.DeliveryStatus, message.DeliveryError);
        var result = message.UpdateDelivery(status, now, error);
        if (result.IsSuccess && (message.DeliveryStatus, message.DeliveryError) != before)
        {
            Raise(new MessageDeliveryChanged(Id, message.Id, message.DeliveryStatus, message.DeliveryError, now));
        }

        return result;
    }

    /// <summary>An automatic message (greeting, bot answer, system notice).</summary>
    public Result<Message> AddSystemMessage(AuthorKind authorKind, string authorName, MessageContent content, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (authorKind is not (AuthorKind.System or AuthorKind.Bot))
        {
            return Error.Validation("message.author", "System messages come from the system or a bot.");
        }

        var valid = content.Validate();
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var message = Message.Create(this, MessageDirection.Outbound, authorKind, null, authorName, content, isPrivate: false, null, now);
        _messages.Add(message);
        LastMessageAt = now;
        UpdatedAt = now;
        Raise(new MessageAdded(Id, message.Id, MessageDirection.Outbound, false, now));
        return message;
    }

    /// <summary>
    /// A private note written by the system for the agents (e.g. "the customer asked for the transcript by email"): never
    /// shown to the customer, no effect on response times.
    /// </summary>
    public Result<Message> AddSystemNote(string authorName, string text, DateTimeOffset now)
    {
        var content = new MessageContent(text ?? "", null, null);
        var valid = content.Validate();
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var message = Message.Create(this, MessageDirection.Outbound, AuthorKind.System, null, authorName, content, isPrivate: true, null, now);
        _messages.Add(message);
        UpdatedAt = now;
        AddTimeline(TimelineKind.NoteAdded, Actor.System, now);
        Raise(new MessageAdded(Id, message.Id, MessageDirection.Outbound, true, now));
        return message;
    }

    /// <summary>Gives the conversation to an agent. At most one assignee: assigning replaces the previous one.</summary>
    public Result Assign(AgentId agentId, string agentName, Actor actor, DateTimeOffset now, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Status == ConversationStatus.Closed)
        {
            return Error.Conflict("conversation.closed", "A closed conversation cannot be assigned.");
        }

        if (MergedIntoId is not null)
        {
            return Error.Conflict("conversation.merged", "A merged conversation cannot be assigned.");
        }

        if (AssigneeId == agentId)
        {
            return Result.Success();
        }

        if (OfferedAgentId is { } offered && offered != agentId)
        {
            Raise(new OfferWithdrawn(Id, offered, Expired: false, now));
        }

        var previous = AssigneeId;
        AssigneeId = agentId;
        AssignedAt = now;
        WaitingSince = null;
        OfferedAgentId = null;
        OfferExpiresAt = null;
        _declinedAgentIds = [];
        UpdatedAt = now;
        AddTimeline(TimelineKind.Assigned, actor, now, previous?.ToString(), agentName, reason);
        if (Status == ConversationStatus.New)
        {
            SetStatusCore(ConversationStatus.Open, null, actor, now);
        }

        Raise(new ConversationAssigned(Id, agentId, previous, TeamId, now));
        return Result.Success();
    }

    /// <summary>Offers the waiting conversation to one agent until <paramref name="expiresAt"/> (offer mode).</summary>
    public Result Offer(AgentId agentId, string agentName, DateTimeOffset expiresAt, string? reason, DateTimeOffset now)
    {
        if (AssigneeId is not null || WaitingSince is null || Status is not (ConversationStatus.New or ConversationStatus.Open))
        {
            return Error.Conflict("conversation.offer", "Only a conversation waiting for an agent can be offered.");
        }

        if (OfferedAgentId is not null && OfferExpiresAt > now)
        {
            return Error.Conflict("conversation.offer_pending", "The conversation is already offered to an agent.");
        }

        if (expiresAt <= now)
        {
            return Error.Validation("conversation.offer_expiry", "An offer must expire in the future.");
        }

        OfferedAgentId = agentId;
        OfferExpiresAt = expiresAt;
        UpdatedAt = now;
        AddTimeline(TimelineKind.Offered, Actor.Router, now, to: agentName, note: reason);
        Raise(new ConversationOffered(Id, agentId, expiresAt, now));
        return Result.Success();
    }

    /// <summary>The offered agent accepts in time: the conversation is theirs.</summary>
    public Result AcceptOffer(AgentId agentId, string agentName, DateTimeOffset now)
    {
        if (OfferedAgentId != agentId)
        {
            return Error.Conflict("conversation.offer_gone", "This offer is no longer yours.");
        }

        if (OfferExpiresAt <= now)
        {
            return Error.Conflict("conversation.offer_expired", "The offer expired.");
        }

        OfferedAgentId = null;
        OfferExpiresAt = null;
        return Assign(agentId, agentName, Actor.Agent(agentId, agentName), now, "accepted the offer");
    }

    /// <summary>The offered agent declines: the conversation goes back to the queue and passes that agent over.</summary>
    public Result DeclineOffer(AgentId agentId, string agentName, DateTimeOffset now)
    {
        if (OfferedAgentId != agentId)
        {
            return Error.Conflict("conversation.offer_gone", "This offer is no longer yours.");
        }

        EndOffer(agentId, expired: false, Actor.Agent(agentId, agentName), TimelineKind.OfferDeclined, "declined", now);
        return Result.Success();
    }

    /// <summary>Nobody answered the offer in time (RONA): back to the queue, passing that agent over.</summary>
    public Result ExpireOffer(DateTimeOffset now)
    {
        if (OfferedAgentId is not { } agentId || OfferExpiresAt > now)
        {
            return Error.Conflict("conversation.offer_not_expired", "There is no expired offer.");
        }

        EndOffer(agentId, expired: true, Actor.Router, TimelineKind.OfferExpired, "no answer in time (RONA)", now);
        return Result.Success();
    }

    private void EndOffer(AgentId agentId, bool expired, Actor actor, TimelineKind kind, string note, DateTimeOffset now)
    {
        OfferedAgentId = null;
        OfferExpiresAt = null;
        if (!_declinedAgentIds.Contains(agentId))
        {
            _declinedAgentIds = [.. _declinedAgentIds, agentId];
        }

        UpdatedAt = now;
        AddTimeline(kind, actor, now, agentId.ToString(), note: note);
        Raise(new OfferWithdrawn(Id, agentId, expired, now));
        Raise(new ConversationNeedsAgent(Id, TeamId, now));
    }

    /// <summary>Sets the skills (name → minimum level 1–5) an agent needs for this conversation.</summary>
    public Result RequireSkills(IReadOnlyDictionary<string, int> skills, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(skills);
        ArgumentNullException.ThrowIfNull(actor);
        var normalized = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, level) in skills)
        {
            var key = (name ?? "").Trim().ToLowerInvariant();
            if (key.Length is 0 or > 40 || level is < 1 or > 5)
            {
                return Error.Validation("conversation.skills", "Required skills are 1–40 character names with levels 1 to 5.");
            }

            normalized[key] = level;
        }

        _requiredSkills = normalized;
        UpdatedAt = now;
        AddTimeline(TimelineKind.AttributeChanged, actor, now, to: string.Join(", ", normalized.Select(kv => $"{kv.Key}≥{kv.Value}")), note: "required skills");
        return Result.Success();
    }

    /// <summary>Takes the conversation off its agent; if it is still active it waits for another.</summary>
    public Result Unassign(Actor actor, DateTimeOffset now, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (AssigneeId is null)
        {
            return Result.Success();
        }

        var previous = AssigneeId;
        AssigneeId = null;
        AssignedAt = null;
        UpdatedAt = now;
        AddTimeline(TimelineKind.Unassigned, actor, now, previous.ToString(), note: reason);
        Raise(new ConversationAssigned(Id, null, previous, TeamId, now));
        if (StatusRules.CountsAgainstCapacity(Status))
        {
            MarkWaiting(now);
        }

        return Result.Success();
    }

    public Result MoveToTeam(TeamId? teamId, string teamName, Actor actor, DateTimeOffset now, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Status == ConversationStatus.Closed)
        {
            return Error.Conflict("conversation.closed", "A closed conversation cannot change team.");
        }

        if (TeamId == teamId)
        {
            return Result.Success();
        }

        var previous = TeamId;
        TeamId = teamId;
        UpdatedAt = now;
        AddTimeline(TimelineKind.TeamChanged, actor, now, previous?.ToString(), teamName, note);
        if (AssigneeId is null && StatusRules.CountsAgainstCapacity(Status))
        {
            // Now waiting in another queue: the offers and refusals of the old one no longer apply.
            OfferedAgentId = null;
            OfferExpiresAt = null;
            _declinedAgentIds = [];
            MarkWaiting(now);
        }

        return Result.Success();
    }

    public Result ChangeStatus(ConversationStatus status, Actor actor, DateTimeOffset now, DateTimeOffset? snoozeUntil = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (status == ConversationStatus.Snoozed && (snoozeUntil is null || snoozeUntil <= now))
        {
            return Error.Validation("conversation.snooze", "Snoozing needs a time in the future.");
        }

        if (!StatusRules.CanTransition(Status, status))
        {
            return Error.Conflict("conversation.status", $"A {Status} conversation cannot become {status}.");
        }

        SetStatusCore(status, snoozeUntil, actor, now);
        CustomStatusKey = null;
        return Result.Success();
    }

    public Result ApplyCustomStatus(CustomStatus customStatus, Actor actor, DateTimeOffset now, DateTimeOffset? snoozeUntil = null)
    {
        ArgumentNullException.ThrowIfNull(customStatus);
        if (Status != customStatus.Category)
        {
            var changed = ChangeStatus(customStatus.Category, actor, now, snoozeUntil);
            if (!changed.IsSuccess)
            {
                return changed;
            }
        }

        CustomStatusKey = customStatus.Key;
        AddTimeline(TimelineKind.StatusChanged, actor, now, Status.ToString(), customStatus.Label);
        return Result.Success();
    }

    /// <summary>A snoozed conversation whose time has come opens again.</summary>
    public Result Wake(DateTimeOffset now)
    {
        if (Status != ConversationStatus.Snoozed || SnoozedUntil > now)
        {
            return Error.Conflict("conversation.wake", "Only a snoozed conversation whose time has come wakes.");
        }

        SetStatusCore(ConversationStatus.Open, null, Actor.System, now);
        return Result.Success();
    }

    private void SetStatusCore(ConversationStatus status, DateTimeOffset? snoozeUntil, Actor actor, DateTimeOffset now)
    {
        var from = Status;
        Status = status;
        SnoozedUntil = status == ConversationStatus.Snoozed ? snoozeUntil : null;
        UpdatedAt = now;
        if (!StatusRules.CountsAgainstCapacity(status) && OfferedAgentId is { } offered)
        {
            OfferedAgentId = null;
            OfferExpiresAt = null;
            Raise(new OfferWithdrawn(Id, offered, Expired: false, now));
        }

        switch (status)
        {
            case ConversationStatus.Resolved:
                ResolvedAt = now;
                WaitingSince = null;
                break;
            case ConversationStatus.Closed:
                ClosedAt = now;
                WaitingSince = null;
                break;
            case ConversationStatus.Open when from == ConversationStatus.Resolved:
                ResolvedAt = null;
                break;
            case ConversationStatus.Pending or ConversationStatus.Snoozed:
                WaitingSince = null;
                break;
        }

        AddTimeline(TimelineKind.StatusChanged, actor, now, from.ToString(), status.ToString());
        Raise(new ConversationStatusChanged(Id, from, status, now));

        // Reopened (by the customer, a wake-up or an agent) with nobody on it: back in the queue.
        if (status == ConversationStatus.Open && from != ConversationStatus.New && AssigneeId is null)
        {
            MarkWaiting(now);
        }
    }

    private void MarkWaiting(DateTimeOffset now)
    {
        WaitingSince ??= now;
        Raise(new ConversationNeedsAgent(Id, TeamId, now));
    }

    public Result ChangePriority(Priority priority, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(priority))
        {
            return Error.Validation("conversation.priority", "Unknown priority.");
        }

        if (priority == Priority)
        {
            return Result.Success();
        }

        AddTimeline(TimelineKind.PriorityChanged, actor, now, Priority.ToString(), priority.ToString());
        Priority = priority;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result AddTag(string tag, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var normalized = (tag ?? "").Trim().ToLowerInvariant();
        if (normalized.Length is 0 or > 50)
        {
            return Error.Validation("conversation.tag", "A tag is 1 to 50 characters.");
        }

        if (_tags.Contains(normalized))
        {
            return Result.Success();
        }

        if (_tags.Count >= MaxTags)
        {
            return Error.Validation("conversation.tags", $"A conversation can have at most {MaxTags} tags.");
        }

        _tags = [.. _tags, normalized];
        UpdatedAt = now;
        AddTimeline(TimelineKind.TagAdded, actor, now, to: normalized);
        return Result.Success();
    }

    public Result RemoveTag(string tag, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var normalized = (tag ?? "").Trim().ToLowerInvariant();
        if (!_tags.Contains(normalized))
        {
            return Result.Success();
        }

        _tags = _tags.Where(t => t != normalized).ToList();
        UpdatedAt = now;
        AddTimeline(TimelineKind.TagRemoved, actor, now, from: normalized);
        return Result.Success();
    }

    public Result SetAttribute(string key, string? value, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64)
        {
            return Error.Validation("conversation.attribute", "Attribute names are 1 to 64 characters.");
        }

        var copy = new Dictionary<string, string>(_attributes, StringComparer.Ordinal);
        _attributes.TryGetValue(key, out var previous);
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }

        _attributes = copy;
        UpdatedAt = now;
        AddTimeline(TimelineKind.AttributeChanged, actor, now, previous, value);
        return Result.Success();
    }

    /// <summary>Sets the SLA due times computed by the SLA clock (null clears a target).</summary>
    public void SetSlaDueTimes(DateTimeOffset? firstResponse, DateTimeOffset? nextResponse, DateTimeOffset? resolution, DateTimeOffset now)
    {
        FirstResponseDueAt = firstResponse;
        NextResponseDueAt = nextResponse;
        ResolutionDueAt = resolution;
        UpdatedAt = now;
        AddTimeline(TimelineKind.SlaChanged, Actor.System, now, to: firstResponse?.ToString("O"));
    }

    /// <summary>Closes this conversation into another one (its messages stay here and are shown in the target's timeline).</summary>
    public Result MergeInto(Conversation target, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(actor);
        if (target.Id == Id)
        {
            return Error.Validation("conversation.merge_self", "A conversation cannot be merged into itself.");
        }

        if (target.ContactId != ContactId)
        {
            return Error.Validation("conversation.merge_contact", "Only conversations of the same contact can be merged.");
        }

        if (target.Status == ConversationStatus.Closed || MergedIntoId is not null || target.MergedIntoId is not null)
        {
            return Error.Conflict("conversation.merge", "The target is closed, or one of the conversations was already merged.");
        }

        MergedIntoId = target.Id;
        AddTimeline(TimelineKind.Merged, actor, now, Number.ToString(System.Globalization.CultureInfo.InvariantCulture), target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        target.AddTimeline(TimelineKind.Merged, actor, now, Number.ToString(System.Globalization.CultureInfo.InvariantCulture), target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Status != ConversationStatus.Closed)
        {
            SetStatusCore(ConversationStatus.Closed, null, actor, now);
        }

        AssigneeId = null;
        WaitingSince = null;
        target.UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>Moves the conversation to the contact another one was merged into; recorded in the audit trail.</summary>
    public Result MoveToContact(ContactId contactId, string fromName, string toName, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (contactId == ContactId)
        {
            return Result.Success();
        }

        ContactId = contactId;
        UpdatedAt = now;
        AddTimeline(TimelineKind.ContactMerged, actor, now, fromName, toName);
        return Result.Success();
    }

    private DateTimeOffset _lastTimelineAt = DateTimeOffset.MinValue;

    /// <summary>Appends to the audit trail; entries of one conversation get strictly increasing times so their order is stable.</summary>
    private void AddTimeline(TimelineKind kind, Actor actor, DateTimeOffset at, string? from = null, string? to = null, string? note = null)
    {
        if (at <= _lastTimelineAt)
        {
            at = _lastTimelineAt.AddMilliseconds(1);
        }

        _lastTimelineAt = at;
        _timeline.Add(TimelineEntry.Create(Id, kind, actor, at, from, to, note));
    }

    /// <summary>Called by persistence before every save of a changed conversation.</summary>
    public void BumpVersion() => Version++;

    /// <summary>Privacy erasure of the customer's content: subject, preview and conversation attributes (messages and timeline are erased row by row).</summary>
    public void EraseContent(string placeholder, DateTimeOffset now)
    {
        Subject = placeholder;
        LastMessagePreview = null;
        _attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        UpdatedAt = now;
    }

    private static string Preview(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 140 ? oneLine : oneLine[..140] + "…";
    }
}
