using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using static ContactCenter.Domain.Conversations.ConversationStatus;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Conversations;

public class ConversationTests
{
    // ---------------------------------------------------------------- Open

    [Fact]
    public void Open_NewConversation_IsNewUnassignedAndWaitingSinceNow()
    {
        var teamId = TeamId.New();
        var contactId = ContactId.New();

        var conversation = Conversation.Open(42, InboxId.New(), ChannelKind.Email, contactId, "Refund", teamId, Alice, Now);

        Assert.Equal(42, conversation.Number);
        Assert.Equal(New, conversation.Status);
        Assert.Equal(Priority.Normal, conversation.Priority);
        Assert.Equal(ChannelKind.Email, conversation.Channel);
        Assert.Equal(contactId, conversation.ContactId);
        Assert.Equal(teamId, conversation.TeamId);
        Assert.Null(conversation.AssigneeId);
        Assert.Equal(Now, conversation.WaitingSince);
        Assert.True(conversation.IsWaitingForAgent);
        Assert.Equal(Now, conversation.CreatedAt);
        Assert.Equal(Now, conversation.LastMessageAt);
        Assert.Null(conversation.FirstRespondedAt);
    }

    [Fact]
    public void Open_NewConversation_RaisesCreatedAndNeedsAgent()
    {
        var teamId = TeamId.New();

        var conversation = NewConversation(ChannelKind.WhatsApp, teamId);

        var created = SingleEvent<ConversationCreated>(conversation);
        Assert.Equal(conversation.Id, created.ConversationId);
        Assert.Equal(ChannelKind.WhatsApp, created.Channel);
        Assert.Equal(teamId, created.TeamId);
        var needsAgent = SingleEvent<ConversationNeedsAgent>(conversation);
        Assert.Equal(teamId, needsAgent.TeamId);
        Assert.Equal(Now, needsAgent.OccurredAt);
    }

    [Fact]
    public void Open_NewConversation_RecordsCreatedTimelineEntryWithActor()
    {
        var conversation = Conversation.Open(1, InboxId.New(), ChannelKind.Telegram, ContactId.New(), null, null, Alice, Now);

        var entry = Assert.Single(conversation.Timeline);
        Assert.Equal(TimelineKind.Created, entry.Kind);
        Assert.Equal(ActorKind.Agent, entry.ActorKind);
        Assert.Equal(AliceId.ToString(), entry.ActorId);
        Assert.Equal("Alice", entry.ActorName);
        Assert.Equal("Telegram", entry.To);
        Assert.Equal(conversation.Id, entry.ConversationId);
        Assert.Equal(Now, entry.OccurredAt);
    }

    [Fact]
    public void Open_SubjectWithLineBreaksAndSpaces_IsFlattenedAndTrimmed()
    {
        var conversation = NewConversation(subject: "  Line one\r\nline two\nthree  ");

        Assert.Equal("Line one line two three", conversation.Subject);
    }

    [Fact]
    public void Open_SubjectOverMaxLength_IsTruncated()
    {
        var conversation = NewConversation(subject: new string('s', Conversation.MaxSubjectLength + 25));

        Assert.Equal(Conversation.MaxSubjectLength, conversation.Subject.Length);
    }

    [Fact]
    public void Open_NullSubject_IsEmpty()
    {
        Assert.Equal("", NewConversation(subject: null).Subject);
    }

    // ---------------------------------------------------------------- ChangeStatus

    [Theory]
    [MemberData(nameof(StatusRulesTests.AllPairs), MemberType = typeof(StatusRulesTests))]
    public void ChangeStatus_EveryPair_SucceedsOnlyWhenTransitionAllowed(ConversationStatus from, ConversationStatus to, bool allowed)
    {
        var conversation = ConversationIn(from);
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.ChangeStatus(to, Alice, Now.AddMinutes(1), Now.AddHours(2));

        Assert.Equal(allowed, result.IsSuccess);
        if (allowed)
        {
            Assert.Equal(to, conversation.Status);
            var changed = SingleEvent<ConversationStatusChanged>(conversation);
            Assert.Equal((from, to), (changed.From, changed.To));
        }
        else
        {
            Assert.Equal("conflict.conversation.status", result.Error!.Code);
            Assert.Equal(from, conversation.Status);
            Assert.Empty(conversation.DomainEvents);
            Assert.Equal(timelineBefore, conversation.Timeline.Count);
        }
    }

    [Fact]
    public void ChangeStatus_ClosedToOpen_ReturnsFailureInsteadOfThrowing()
    {
        var conversation = ConversationIn(Closed);

        var exception = Record.Exception(() => conversation.ChangeStatus(Open, Alice, Now));

        Assert.Null(exception);
        Assert.False(conversation.ChangeStatus(Open, Alice, Now).IsSuccess);
    }

    [Fact]
    public void ChangeStatus_ValidTransition_AppendsTimelineEntryWithActorAndUpdatesTimestamp()
    {
        var conversation = ConversationIn(Open);
        var later = Now.AddMinutes(5);

        conversation.ChangeStatus(Pending, Bob, later);

        var entry = conversation.Timeline[^1];
        Assert.Equal(TimelineKind.StatusChanged, entry.Kind);
        Assert.Equal(("Open", "Pending"), (entry.From, entry.To));
        Assert.Equal(BobId.ToString(), entry.ActorId);
        Assert.Equal("Bob", entry.ActorName);
        Assert.Equal(later, entry.OccurredAt);
        Assert.Equal(later, conversation.UpdatedAt);
    }

    [Fact]
    public void ChangeStatus_SnoozeWithoutTime_ReturnsSnoozeValidationError()
    {
        var conversation = ConversationIn(Open);

        var result = conversation.ChangeStatus(Snoozed, Alice, Now);

        Assert.Equal("validation.conversation.snooze", result.Error?.Code);
        Assert.Equal(Open, conversation.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-600)]
    public void ChangeStatus_SnoozeUntilNowOrPast_ReturnsSnoozeValidationError(int secondsFromNow)
    {
        var conversation = ConversationIn(Open);

        var result = conversation.ChangeStatus(Snoozed, Alice, Now, Now.AddSeconds(secondsFromNow));

        Assert.Equal("validation.conversation.snooze", result.Error?.Code);
        Assert.Equal(Open, conversation.Status);
        Assert.Null(conversation.SnoozedUntil);
    }

    [Fact]
    public void ChangeStatus_SnoozeUntilFuture_SetsSnoozedUntilAndStopsWaiting()
    {
        var conversation = ConversationIn(New);

        var result = conversation.ChangeStatus(Snoozed, Alice, Now, Now.AddSeconds(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(Snoozed, conversation.Status);
        Assert.Equal(Now.AddSeconds(1), conversation.SnoozedUntil);
        Assert.Null(conversation.WaitingSince);
    }

    [Fact]
    public void ChangeStatus_SnoozedToOpen_ClearsSnoozedUntil()
    {
        var conversation = ConversationIn(Snoozed);

        conversation.ChangeStatus(Open, Alice, Now.AddMinutes(1));

        Assert.Null(conversation.SnoozedUntil);
    }

    [Fact]
    public void ChangeStatus_NonSnoozeWithSnoozeTime_IgnoresSnoozeTime()
    {
        var conversation = ConversationIn(Open);

        conversation.ChangeStatus(Pending, Alice, Now, Now.AddHours(1));

        Assert.Null(conversation.SnoozedUntil);
    }

    [Fact]
    public void ChangeStatus_Resolve_SetsResolvedAtAndStopsWaiting()
    {
        var conversation = ConversationIn(New);

        conversation.ChangeStatus(Resolved, Alice, Now.AddMinutes(3));

        Assert.Equal(Now.AddMinutes(3), conversation.ResolvedAt);
        Assert.Null(conversation.WaitingSince);
        Assert.False(conversation.IsWaitingForAgent);
    }

    [Fact]
    public void ChangeStatus_ResolvedToOpen_ClearsResolvedAt()
    {
        var conversation = ConversationIn(Resolved);

        conversation.ChangeStatus(Open, Alice, Now.AddMinutes(3));

        Assert.Null(conversation.ResolvedAt);
    }

    [Fact]
    public void ChangeStatus_Close_SetsClosedAtAndStopsWaiting()
    {
        var conversation = ConversationIn(New);

        conversation.ChangeStatus(Closed, Alice, Now.AddMinutes(7));

        Assert.Equal(Now.AddMinutes(7), conversation.ClosedAt);
        Assert.Null(conversation.WaitingSince);
    }

    [Fact]
    public void ChangeStatus_Pending_StopsWaiting()
    {
        var conversation = ConversationIn(New);

        conversation.ChangeStatus(Pending, Alice, Now);

        Assert.Null(conversation.WaitingSince);
    }

    [Fact]
    public void ChangeStatus_ReopenUnassignedResolved_MarksWaitingAndRaisesNeedsAgent()
    {
        var conversation = ConversationIn(Resolved);

        conversation.ChangeStatus(Open, Alice, Now.AddMinutes(1));

        Assert.Equal(Now.AddMinutes(1), conversation.WaitingSince);
        SingleEvent<ConversationNeedsAgent>(conversation);
    }

    // ---------------------------------------------------------------- Wake

    [Theory]
    [InlineData(New)]
    [InlineData(Open)]
    [InlineData(Pending)]
    [InlineData(Resolved)]
    [InlineData(Closed)]
    public void Wake_NotSnoozed_ReturnsWakeConflict(ConversationStatus status)
    {
        var conversation = ConversationIn(status);

        var result = conversation.Wake(Now.AddDays(1));

        Assert.Equal("conflict.conversation.wake", result.Error?.Code);
        Assert.Equal(status, conversation.Status);
    }

    [Fact]
    public void Wake_BeforeSnoozeTime_ReturnsWakeConflictAndStaysSnoozed()
    {
        var conversation = ConversationIn(Snoozed);

        var result = conversation.Wake(Now.AddHours(1).AddTicks(-1));

        Assert.Equal("conflict.conversation.wake", result.Error?.Code);
        Assert.Equal(Snoozed, conversation.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Wake_AtOrAfterSnoozeTime_OpensAndClearsSnoozedUntil(int minutesAfterDue)
    {
        var conversation = ConversationIn(Snoozed);
        var at = Now.AddHours(1).AddMinutes(minutesAfterDue);

        var result = conversation.Wake(at);

        Assert.True(result.IsSuccess);
        Assert.Equal(Open, conversation.Status);
        Assert.Null(conversation.SnoozedUntil);
        var entry = conversation.Timeline[^1];
        Assert.Equal(ActorKind.System, entry.ActorKind);
        Assert.Equal(("Snoozed", "Open"), (entry.From, entry.To));
    }

    [Fact]
    public void Wake_Unassigned_MarksWaitingAndRaisesNeedsAgent()
    {
        var conversation = ConversationIn(Snoozed);
        var at = Now.AddHours(2);

        conversation.Wake(at);

        Assert.Equal(at, conversation.WaitingSince);
        Assert.Equal(at, SingleEvent<ConversationNeedsAgent>(conversation).OccurredAt);
    }

    [Fact]
    public void Wake_Assigned_StaysAssignedAndDoesNotWait()
    {
        var conversation = ConversationIn(Open);
        conversation.Assign(AliceId, "Alice", Alice, Now);
        conversation.ChangeStatus(Snoozed, Alice, Now, Now.AddHours(1));
        conversation.ClearDomainEvents();

        conversation.Wake(Now.AddHours(1));

        Assert.Equal(AliceId, conversation.AssigneeId);
        Assert.Null(conversation.WaitingSince);
        Assert.Empty(conversation.DomainEvents.OfType<ConversationNeedsAgent>());
    }

    // ---------------------------------------------------------------- Customer messages

    [Theory]
    [InlineData(Resolved)]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    public void ReceiveFromContact_ResolvedPendingOrSnoozed_ReopensAndWaitsForAgent(ConversationStatus status)
    {
        var conversation = ConversationIn(status);
        var at = Now.AddMinutes(10);

        var result = conversation.ReceiveFromContact("Carol", Text(), null, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(Open, conversation.Status);
        Assert.Null(conversation.SnoozedUntil);
        Assert.Equal(at, conversation.WaitingSince);
        var changed = SingleEvent<ConversationStatusChanged>(conversation);
        Assert.Equal((status, Open), (changed.From, changed.To));
        SingleEvent<ConversationNeedsAgent>(conversation);
        Assert.Contains(conversation.Timeline, e => e.Kind == TimelineKind.StatusChanged && e.ActorKind == ActorKind.Contact && e.To == "Open");
    }

    [Fact]
    public void ReceiveFromContact_ResolvedAndAssigned_ReopensForSameAgentWithoutWaiting()
    {
        var conversation = ConversationIn(Open);
        conversation.Assign(AliceId, "Alice", Alice, Now);
        conversation.ChangeStatus(Resolved, Alice, Now);
        conversation.ClearDomainEvents();

        conversation.ReceiveFromContact("Carol", Text(), null, Now.AddMinutes(1));

        Assert.Equal(Open, conversation.Status);
        Assert.Equal(AliceId, conversation.AssigneeId);
        Assert.Null(conversation.WaitingSince);
        Assert.Empty(conversation.DomainEvents.OfType<ConversationNeedsAgent>());
        Assert.Null(conversation.ResolvedAt);
    }

    [Theory]
    [InlineData(New)]
    [InlineData(Open)]
    public void ReceiveFromContact_NewOrOpen_KeepsStatus(ConversationStatus status)
    {
        var conversation = ConversationIn(status);

        conversation.ReceiveFromContact("Carol", Text(), null, Now.AddMinutes(1));

        Assert.Equal(status, conversation.Status);
        Assert.Empty(conversation.DomainEvents.OfType<ConversationStatusChanged>());
    }

    [Fact]
    public void ReceiveFromContact_Closed_ReturnsClosedConflictAndAddsNothing()
    {
        var conversation = ConversationIn(Closed);
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.ReceiveFromContact("Carol", Text(), null, Now.AddMinutes(1));

        Assert.False(result.IsSuccess);
        Assert.Equal("conflict.conversation.closed", result.Error!.Code);
        Assert.Equal(Closed, conversation.Status);
        Assert.Empty(conversation.Messages);
        Assert.Empty(conversation.DomainEvents);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
    }

    [Fact]
    public void ReceiveFromContact_Message_UpdatesLastMessageTimesAndPreview()
    {
        var conversation = NewConversation();
        var at = Now.AddMinutes(4);

        var message = conversation.ReceiveFromContact("Carol", Text("Where is\nmy order?"), "ext-9", at).Value;

        Assert.Equal(at, conversation.LastMessageAt);
        Assert.Equal(at, conversation.LastCustomerMessageAt);
        Assert.Equal(at, conversation.UpdatedAt);
        Assert.Equal("Where is my order?", conversation.LastMessagePreview);
        Assert.Same(message, Assert.Single(conversation.Messages));
        var added = SingleEvent<MessageAdded>(conversation);
        Assert.Equal((message.Id, MessageDirection.Inbound, false), (added.MessageId, added.Direction, added.IsPrivate));
        var entry = conversation.Timeline[^1];
        Assert.Equal(TimelineKind.MessageReceived, entry.Kind);
        Assert.Equal(ActorKind.Contact, entry.ActorKind);
        Assert.Equal(conversation.ContactId.ToString(), entry.ActorId);
        Assert.Equal("Carol", entry.ActorName);
    }

    [Fact]
    public void ReceiveFromContact_LongText_PreviewCutAt140WithEllipsis()
    {
        var conversation = NewConversation();

        conversation.ReceiveFromContact("Carol", Text(new string('x', 200)), null, Now);

        Assert.Equal(new string('x', 140) + "…", conversation.LastMessagePreview);
    }

    [Fact]
    public void ReceiveFromContact_EmptyContent_ReturnsValidationErrorAndAddsNothing()
    {
        var conversation = ConversationIn(Resolved);

        var result = conversation.ReceiveFromContact("Carol", Text("  "), null, Now.AddMinutes(1));

        Assert.Equal("validation.message.empty", result.Error?.Code);
        Assert.Empty(conversation.Messages);
        Assert.Equal(Resolved, conversation.Status);
    }

    [Fact]
    public void ReceiveFromContact_TooLongText_ReturnsTooLongError()
    {
        var conversation = NewConversation();

        var result = conversation.ReceiveFromContact("Carol", Text(new string('a', MessageContent.MaxTextLength + 1)), null, Now);

        Assert.Equal("validation.message.too_long", result.Error?.Code);
        Assert.Empty(conversation.Messages);
    }

    [Fact]
    public void ReceiveFromContact_AttachmentWithoutText_IsAccepted()
    {
        var conversation = NewConversation();

        var result = conversation.ReceiveFromContact("Carol", new MessageContent("", Attachments: [File()]), null, Now);

        Assert.True(result.IsSuccess);
        Assert.Single(conversation.Messages);
    }

    // ---------------------------------------------------------------- Agent replies & notes

    [Fact]
    public void ReplyFromAgent_FirstPublicReplyOnNew_SetsFirstRespondedAtAndOpens()
    {
        var conversation = NewConversation();
        var at = Now.AddMinutes(2);

        var result = conversation.ReplyFromAgent(AliceId, "Alice", Text("On it"), isPrivate: false, null, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(at, conversation.FirstRespondedAt);
        Assert.Equal(Open, conversation.Status);
        Assert.Equal(at, conversation.LastMessageAt);
        Assert.Equal("On it", conversation.LastMessagePreview);
        var changed = SingleEvent<ConversationStatusChanged>(conversation);
        Assert.Equal((New, Open), (changed.From, changed.To));
        Assert.Contains(conversation.Timeline, e => e.Kind == TimelineKind.MessageSent && e.ActorId == AliceId.ToString() && e.ActorName == "Alice");
    }

    [Fact]
    public void ReplyFromAgent_SecondReply_KeepsFirstRespondedAt()
    {
        var conversation = NewConversation();
        conversation.ReplyFromAgent(AliceId, "Alice", Text(), false, null, Now.AddMinutes(1));

        conversation.ReplyFromAgent(BobId, "Bob", Text(), false, null, Now.AddMinutes(9));

        Assert.Equal(Now.AddMinutes(1), conversation.FirstRespondedAt);
        Assert.Equal(Now.AddMinutes(9), conversation.LastMessageAt);
    }

    [Theory]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    public void ReplyFromAgent_PublicReplyOnNonNew_KeepsStatus(ConversationStatus status)
    {
        var conversation = ConversationIn(status);

        conversation.ReplyFromAgent(AliceId, "Alice", Text(), false, null, Now.AddMinutes(1));

        Assert.Equal(status, conversation.Status);
    }

    [Fact]
    public void ReplyFromAgent_PrivateNote_DoesNotTouchLastMessageOrFirstResponse()
    {
        var conversation = NewConversation();
        conversation.ReceiveFromContact("Carol", Text("Question"), null, Now.AddMinutes(1));
        conversation.ClearDomainEvents();

        var note = conversation.ReplyFromAgent(AliceId, "Alice", Text("internal"), isPrivate: true, null, Now.AddMinutes(5)).Value;

        Assert.Equal(Now.AddMinutes(1), conversation.LastMessageAt);
        Assert.Null(conversation.FirstRespondedAt);
        Assert.Equal("Question", conversation.LastMessagePreview);
        Assert.Equal(New, conversation.Status);
        Assert.Equal(DeliveryStatus.None, note.DeliveryStatus);
        Assert.Equal(Now.AddMinutes(5), conversation.UpdatedAt);
        Assert.Equal(TimelineKind.NoteAdded, conversation.Timeline[^1].Kind);
        Assert.True(SingleEvent<MessageAdded>(conversation).IsPrivate);
    }

    [Fact]
    public void ReplyFromAgent_PublicReplyOnClosed_ReturnsClosedConflict()
    {
        var conversation = ConversationIn(Closed);

        var result = conversation.ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: false, null, Now);

        Assert.Equal("conflict.conversation.closed", result.Error?.Code);
        Assert.Empty(conversation.Messages);
    }

    [Fact]
    public void ReplyFromAgent_PrivateNoteOnClosed_IsAccepted()
    {
        var conversation = ConversationIn(Closed);

        var result = conversation.ReplyFromAgent(AliceId, "Alice", Text(), isPrivate: true, null, Now);

        Assert.True(result.IsSuccess);
        Assert.Equal(Closed, conversation.Status);
    }

    [Fact]
    public void ReplyFromAgent_TooLongText_ReturnsTooLongError()
    {
        var conversation = NewConversation();

        var result = conversation.ReplyFromAgent(AliceId, "Alice", Text(new string('a', MessageContent.MaxTextLength + 1)), false, null, Now);

        Assert.Equal("validation.message.too_long", result.Error?.Code);
        Assert.Null(conversation.FirstRespondedAt);
        Assert.Equal(New, conversation.Status);
    }

    [Theory]
    [InlineData(AuthorKind.Agent)]
    [InlineData(AuthorKind.Contact)]
    public void AddSystemMessage_HumanAuthor_ReturnsAuthorValidationError(AuthorKind kind)
    {
        var conversation = NewConversation();

        var result = conversation.AddSystemMessage(kind, "Someone", Text(), Now);

        Assert.Equal("validation.message.author", result.Error?.Code);
        Assert.Empty(conversation.Messages);
    }

    [Fact]
    public void AddSystemMessage_Bot_UpdatesLastMessageAtButNotFirstResponse()
    {
        var conversation = NewConversation();

        conversation.AddSystemMessage(AuthorKind.Bot, "Bot", Text("Hi, how can I help?"), Now.AddSeconds(1));

        Assert.Equal(Now.AddSeconds(1), conversation.LastMessageAt);
        Assert.Null(conversation.FirstRespondedAt);
        Assert.Equal(New, conversation.Status);
    }

    // ---------------------------------------------------------------- Assignment

    [Fact]
    public void Assign_Unassigned_SetsAssigneeClearsWaitingAndOpens()
    {
        var teamId = TeamId.New();
        var conversation = NewConversation(teamId: teamId);
        conversation.ClearDomainEvents();
        var at = Now.AddMinutes(1);

        var result = conversation.Assign(AliceId, "Alice", Actor.Router, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(AliceId, conversation.AssigneeId);
        Assert.Equal(at, conversation.AssignedAt);
        Assert.Null(conversation.WaitingSince);
        Assert.False(conversation.IsWaitingForAgent);
        Assert.Equal(Open, conversation.Status);
        var assigned = SingleEvent<ConversationAssigned>(conversation);
        Assert.Equal((AliceId, (AgentId?)null, teamId), (assigned.AgentId!.Value, assigned.PreviousAgentId, assigned.TeamId));
        var entry = Assert.Single(conversation.Timeline, e => e.Kind == TimelineKind.Assigned);
        Assert.Equal(ActorKind.Router, entry.ActorKind);
        Assert.Null(entry.From);
        Assert.Equal("Alice", entry.To);
        Assert.Equal(at, entry.OccurredAt);
    }

    [Fact]
    public void Assign_AlreadyAssigned_ReplacesAssigneeAndReportsPrevious()
    {
        var conversation = NewConversation();
        conversation.Assign(AliceId, "Alice", Actor.Router, Now);
        conversation.ClearDomainEvents();

        var result = conversation.Assign(BobId, "Bob", Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(BobId, conversation.AssigneeId);
        Assert.Equal(Now.AddMinutes(1), conversation.AssignedAt);
        var assigned = SingleEvent<ConversationAssigned>(conversation);
        Assert.Equal(BobId, assigned.AgentId);
        Assert.Equal(AliceId, assigned.PreviousAgentId);
        var entry = conversation.Timeline[^1];
        Assert.Equal(TimelineKind.Assigned, entry.Kind);
        Assert.Equal(AliceId.ToString(), entry.From);
        Assert.Equal("Bob", entry.To);
        Assert.Equal(AliceId.ToString(), entry.ActorId);
    }

    [Fact]
    public void Assign_SameAgentAgain_IsNoOp()
    {
        var conversation = NewConversation();
        conversation.Assign(AliceId, "Alice", Actor.Router, Now);
        conversation.ClearDomainEvents();
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.Assign(AliceId, "Alice", Actor.Router, Now.AddMinutes(5));

        Assert.True(result.IsSuccess);
        Assert.Equal(Now, conversation.AssignedAt);
        Assert.Empty(conversation.DomainEvents);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
    }

    [Theory]
    [InlineData(Pending)]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    public void Assign_NonNewStatus_KeepsStatus(ConversationStatus status)
    {
        var conversation = ConversationIn(status);

        conversation.Assign(AliceId, "Alice", Alice, Now);

        Assert.Equal(status, conversation.Status);
        Assert.Equal(AliceId, conversation.AssigneeId);
    }

    [Fact]
    public void Assign_Closed_ReturnsClosedConflict()
    {
        var conversation = ConversationIn(Closed);

        var result = conversation.Assign(AliceId, "Alice", Alice, Now);

        Assert.Equal("conflict.conversation.closed", result.Error?.Code);
        Assert.Null(conversation.AssigneeId);
        Assert.Empty(conversation.DomainEvents);
    }

    [Fact]
    public void Assign_MergedConversation_IsRefused()
    {
        var contactId = ContactId.New();
        var source = ConversationIn(Open, contactId, number: 1);
        var target = ConversationIn(Open, contactId, number: 2);
        source.MergeInto(target, Alice, Now);
        source.ClearDomainEvents();

        var result = source.Assign(BobId, "Bob", Bob, Now.AddMinutes(1));

        Assert.False(result.IsSuccess);
        Assert.StartsWith("conflict.conversation.", result.Error!.Code, StringComparison.Ordinal);
        Assert.Null(source.AssigneeId);
        Assert.Empty(source.DomainEvents);
    }

    [Fact]
    public void Unassign_ActiveConversation_MarksWaitingAndRaisesNeedsAgent()
    {
        var teamId = TeamId.New();
        var conversation = NewConversation(teamId: teamId);
        conversation.Assign(AliceId, "Alice", Actor.Router, Now);
        conversation.ClearDomainEvents();
        var at = Now.AddMinutes(3);

        var result = conversation.Unassign(Alice, at);

        Assert.True(result.IsSuccess);
        Assert.Null(conversation.AssigneeId);
        Assert.Null(conversation.AssignedAt);
        Assert.Equal(at, conversation.WaitingSince);
        var assigned = SingleEvent<ConversationAssigned>(conversation);
        Assert.Null(assigned.AgentId);
        Assert.Equal(AliceId, assigned.PreviousAgentId);
        var needsAgent = SingleEvent<ConversationNeedsAgent>(conversation);
        Assert.Equal(teamId, needsAgent.TeamId);
        var entry = conversation.Timeline[^1];
        Assert.Equal(TimelineKind.Unassigned, entry.Kind);
        Assert.Equal(AliceId.ToString(), entry.From);
        Assert.Equal("Alice", entry.ActorName);
    }

    [Theory]
    [InlineData(Snoozed)]
    [InlineData(Resolved)]
    public void Unassign_InactiveConversation_DoesNotWait(ConversationStatus status)
    {
        var conversation = ConversationIn(status);
        conversation.Assign(AliceId, "Alice", Alice, Now);
        conversation.ClearDomainEvents();

        conversation.Unassign(Alice, Now.AddMinutes(1));

        Assert.Null(conversation.AssigneeId);
        Assert.Null(conversation.WaitingSince);
        Assert.Empty(conversation.DomainEvents.OfType<ConversationNeedsAgent>());
        SingleEvent<ConversationAssigned>(conversation);
    }

    [Fact]
    public void Unassign_Unassigned_IsNoOp()
    {
        var conversation = ConversationIn(Open);
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.Unassign(Alice, Now);

        Assert.True(result.IsSuccess);
        Assert.Empty(conversation.DomainEvents);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
    }

    [Fact]
    public void Timeline_SeveralOperations_AppendsEntriesInOrderWithActors()
    {
        var conversation = NewConversation();

        conversation.Assign(AliceId, "Alice", Actor.Router, Now.AddMinutes(1));
        conversation.ReplyFromAgent(AliceId, "Alice", Text(), false, null, Now.AddMinutes(2));
        conversation.Assign(BobId, "Bob", Alice, Now.AddMinutes(3));
        conversation.AddTag("vip", Bob, Now.AddMinutes(4));
        conversation.Unassign(Bob, Now.AddMinutes(5));
        conversation.ChangeStatus(Resolved, Bob, Now.AddMinutes(6));

        Assert.Equal(
            [
                (TimelineKind.Created, ActorKind.System, (string?)null),
                (TimelineKind.Assigned, ActorKind.Router, null),
                (TimelineKind.StatusChanged, ActorKind.Router, null),
                (TimelineKind.MessageSent, ActorKind.Agent, AliceId.ToString()),
                (TimelineKind.Assigned, ActorKind.Agent, AliceId.ToString()),
                (TimelineKind.TagAdded, ActorKind.Agent, BobId.ToString()),
                (TimelineKind.Unassigned, ActorKind.Agent, BobId.ToString()),
                (TimelineKind.StatusChanged, ActorKind.Agent, BobId.ToString()),
            ],
            conversation.Timeline.Select(e => (e.Kind, e.ActorKind, e.ActorId)));
        Assert.Equal(conversation.Timeline.OrderBy(e => e.OccurredAt).Select(e => e.Id), conversation.Timeline.Select(e => e.Id));
        Assert.All(conversation.Timeline, e => Assert.Equal(conversation.Id, e.ConversationId));
        Assert.Equal(conversation.Timeline.Count, conversation.Timeline.Select(e => e.Id).Distinct().Count());
    }

    // ---------------------------------------------------------------- Team

    [Fact]
    public void MoveToTeam_OtherTeam_ChangesTeamAndRecordsTimeline()
    {
        var oldTeam = TeamId.New();
        var newTeam = TeamId.New();
        var conversation = NewConversation(teamId: oldTeam);

        var result = conversation.MoveToTeam(newTeam, "Billing", Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(newTeam, conversation.TeamId);
        var entry = conversation.Timeline[^1];
        Assert.Equal(TimelineKind.TeamChanged, entry.Kind);
        Assert.Equal((oldTeam.ToString(), "Billing"), (entry.From, entry.To));
    }

    [Fact]
    public void MoveToTeam_SameTeam_IsNoOp()
    {
        var team = TeamId.New();
        var conversation = NewConversation(teamId: team);
        var timelineBefore = conversation.Timeline.Count;

        conversation.MoveToTeam(team, "Billing", Alice, Now.AddMinutes(1));

        Assert.Equal(timelineBefore, conversation.Timeline.Count);
        Assert.Equal(Now, conversation.UpdatedAt);
    }

    [Fact]
    public void MoveToTeam_Closed_ReturnsClosedConflict()
    {
        var conversation = ConversationIn(Closed);

        var result = conversation.MoveToTeam(TeamId.New(), "Billing", Alice, Now);

        Assert.Equal("conflict.conversation.closed", result.Error?.Code);
        Assert.Null(conversation.TeamId);
    }

    // ---------------------------------------------------------------- Tags

    [Fact]
    public void AddTag_MixedCaseWithSpaces_IsNormalisedToLowerCase()
    {
        var conversation = NewConversation();

        var result = conversation.AddTag("  VIP Customer ", Alice, Now);

        Assert.True(result.IsSuccess);
        Assert.Equal(["vip customer"], conversation.Tags);
        var entry = conversation.Timeline[^1];
        Assert.Equal((TimelineKind.TagAdded, "vip customer"), (entry.Kind, entry.To));
    }

    [Fact]
    public void AddTag_SameTagDifferentCase_IsStoredOnce()
    {
        var conversation = NewConversation();
        conversation.AddTag("refund", Alice, Now);
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.AddTag(" REFUND", Alice, Now);

        Assert.True(result.IsSuccess);
        Assert.Equal(["refund"], conversation.Tags);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void AddTag_Blank_ReturnsTagValidationError(string? tag)
    {
        var conversation = NewConversation();

        var result = conversation.AddTag(tag!, Alice, Now);

        Assert.Equal("validation.conversation.tag", result.Error?.Code);
        Assert.Empty(conversation.Tags);
    }

    [Fact]
    public void AddTag_51Characters_ReturnsTagValidationError()
    {
        var conversation = NewConversation();

        Assert.Equal("validation.conversation.tag", conversation.AddTag(new string('t', 51), Alice, Now).Error?.Code);
        Assert.True(conversation.AddTag(new string('t', 50), Alice, Now).IsSuccess);
    }

    [Fact]
    public void AddTag_BeyondMaxTags_ReturnsTagsValidationError()
    {
        var conversation = NewConversation();
        for (var i = 0; i < Conversation.MaxTags; i++)
        {
            Assert.True(conversation.AddTag($"tag{i}", Alice, Now).IsSuccess);
        }

        var result = conversation.AddTag("one-too-many", Alice, Now);

        Assert.Equal("validation.conversation.tags", result.Error?.Code);
        Assert.Equal(Conversation.MaxTags, conversation.Tags.Count);
        Assert.DoesNotContain("one-too-many", conversation.Tags);
    }

    [Fact]
    public void AddTag_ExistingTagWhenFull_StillSucceeds()
    {
        var conversation = NewConversation();
        for (var i = 0; i < Conversation.MaxTags; i++)
        {
            conversation.AddTag($"tag{i}", Alice, Now);
        }

        Assert.True(conversation.AddTag("TAG0", Alice, Now).IsSuccess);
        Assert.Equal(Conversation.MaxTags, conversation.Tags.Count);
    }

    [Fact]
    public void RemoveTag_DifferentCase_RemovesNormalisedTag()
    {
        var conversation = NewConversation();
        conversation.AddTag("vip", Alice, Now);
        conversation.AddTag("refund", Alice, Now);

        conversation.RemoveTag(" VIP ", Bob, Now.AddMinutes(1));

        Assert.Equal(["refund"], conversation.Tags);
        var entry = conversation.Timeline[^1];
        Assert.Equal((TimelineKind.TagRemoved, "vip", "Bob"), (entry.Kind, entry.From, entry.ActorName));
    }

    [Fact]
    public void RemoveTag_Missing_IsNoOp()
    {
        var conversation = NewConversation();
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.RemoveTag("ghost", Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
        Assert.Equal(Now, conversation.UpdatedAt);
    }

    // ---------------------------------------------------------------- Attributes

    [Fact]
    public void SetAttribute_NewThenChanged_RecordsPreviousAndNewValues()
    {
        var conversation = NewConversation();

        conversation.SetAttribute("order", "A-1", Alice, Now);
        conversation.SetAttribute("order", "A-2", Alice, Now.AddMinutes(1));

        Assert.Equal("A-2", conversation.Attributes["order"]);
        var entries = conversation.Timeline.Where(e => e.Kind == TimelineKind.AttributeChanged).ToList();
        Assert.Equal([((string?)null, (string?)"A-1"), ("A-1", "A-2")], entries.Select(e => (e.From, e.To)));
    }

    [Fact]
    public void SetAttribute_NullValue_RemovesKey()
    {
        var conversation = NewConversation();
        conversation.SetAttribute("order", "A-1", Alice, Now);

        var result = conversation.SetAttribute("order", null, Alice, Now);

        Assert.True(result.IsSuccess);
        Assert.False(conversation.Attributes.ContainsKey("order"));
        Assert.Equal(("A-1", (string?)null), (conversation.Timeline[^1].From, conversation.Timeline[^1].To));
    }

    [Fact]
    public void SetAttribute_KeysAreCaseSensitive()
    {
        var conversation = NewConversation();

        conversation.SetAttribute("Plan", "gold", Alice, Now);
        conversation.SetAttribute("plan", "free", Alice, Now);

        Assert.Equal(2, conversation.Attributes.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void SetAttribute_BlankKey_ReturnsAttributeValidationError(string key)
    {
        var conversation = NewConversation();

        Assert.Equal("validation.conversation.attribute", conversation.SetAttribute(key, "x", Alice, Now).Error?.Code);
        Assert.Empty(conversation.Attributes);
    }

    [Fact]
    public void SetAttribute_KeyLengthBounds_64AcceptedAnd65Refused()
    {
        var conversation = NewConversation();

        Assert.True(conversation.SetAttribute(new string('k', 64), "x", Alice, Now).IsSuccess);
        Assert.Equal("validation.conversation.attribute", conversation.SetAttribute(new string('k', 65), "x", Alice, Now).Error?.Code);
        Assert.Single(conversation.Attributes);
    }

    // ---------------------------------------------------------------- Priority

    [Fact]
    public void ChangePriority_Different_ChangesAndRecordsFromTo()
    {
        var conversation = NewConversation();

        var result = conversation.ChangePriority(Priority.Urgent, Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(Priority.Urgent, conversation.Priority);
        var entry = conversation.Timeline[^1];
        Assert.Equal((TimelineKind.PriorityChanged, "Normal", "Urgent"), (entry.Kind, entry.From, entry.To));
        Assert.Equal(Now.AddMinutes(1), conversation.UpdatedAt);
    }

    [Fact]
    public void ChangePriority_Same_IsNoOp()
    {
        var conversation = NewConversation();
        var timelineBefore = conversation.Timeline.Count;

        var result = conversation.ChangePriority(Priority.Normal, Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(timelineBefore, conversation.Timeline.Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(99)]
    public void ChangePriority_UndefinedValue_ReturnsPriorityValidationError(int value)
    {
        var conversation = NewConversation();

        var result = conversation.ChangePriority((Priority)value, Alice, Now);

        Assert.Equal("validation.conversation.priority", result.Error?.Code);
        Assert.Equal(Priority.Normal, conversation.Priority);
    }

    // ---------------------------------------------------------------- Merge

    [Fact]
    public void MergeInto_SameContact_ClosesSourceAndRecordsOnBoth()
    {
        var contactId = ContactId.New();
        var source = ConversationIn(Open, contactId, number: 7);
        source.Assign(AliceId, "Alice", Alice, Now);
        var target = ConversationIn(Open, contactId, number: 9);
        var at = Now.AddMinutes(2);

        var result = source.MergeInto(target, Bob, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(target.Id, source.MergedIntoId);
        Assert.Equal(Closed, source.Status);
        Assert.Equal(at, source.ClosedAt);
        Assert.Null(source.AssigneeId);
        Assert.Null(source.WaitingSince);
        Assert.Equal(Open, target.Status);
        Assert.Null(target.MergedIntoId);
        Assert.Equal(at, target.UpdatedAt);
        var targetEntry = target.Timeline[^1];
        Assert.Equal(TimelineKind.Merged, targetEntry.Kind);
        Assert.Equal(target.Id, targetEntry.ConversationId);
        Assert.Equal(("7", "9"), (targetEntry.From, targetEntry.To));
        Assert.Equal(BobId.ToString(), targetEntry.ActorId);
        Assert.Contains(source.Timeline, e => e.Kind == TimelineKind.Merged && e.From == "7" && e.To == "9");
        var closed = SingleEvent<ConversationStatusChanged>(source);
        Assert.Equal(Closed, closed.To);
    }

    [Fact]
    public void MergeInto_DifferentContact_ReturnsMergeContactError()
    {
        var source = ConversationIn(Open);
        var target = ConversationIn(Open, number: 2);
        var targetTimeline = target.Timeline.Count;

        var result = source.MergeInto(target, Alice, Now);

        Assert.Equal("validation.conversation.merge_contact", result.Error?.Code);
        Assert.Null(source.MergedIntoId);
        Assert.Equal(Open, source.Status);
        Assert.Equal(targetTimeline, target.Timeline.Count);
    }

    [Fact]
    public void MergeInto_Itself_ReturnsMergeSelfError()
    {
        var conversation = ConversationIn(Open);

        var result = conversation.MergeInto(conversation, Alice, Now);

        Assert.Equal("validation.conversation.merge_self", result.Error?.Code);
        Assert.Null(conversation.MergedIntoId);
        Assert.Equal(Open, conversation.Status);
    }

    [Fact]
    public void MergeInto_ClosedTarget_ReturnsMergeConflict()
    {
        var contactId = ContactId.New();
        var source = ConversationIn(Open, contactId);
        var target = ConversationIn(Closed, contactId, number: 2);

        var result = source.MergeInto(target, Alice, Now);

        Assert.Equal("conflict.conversation.merge", result.Error?.Code);
        Assert.Equal(Open, source.Status);
    }

    [Fact]
    public void MergeInto_SourceAlreadyMerged_ReturnsMergeConflict()
    {
        var contactId = ContactId.New();
        var source = ConversationIn(Open, contactId, number: 1);
        var first = ConversationIn(Open, contactId, number: 2);
        var second = ConversationIn(Open, contactId, number: 3);
        source.MergeInto(first, Alice, Now);

        var result = source.MergeInto(second, Alice, Now);

        Assert.Equal("conflict.conversation.merge", result.Error?.Code);
        Assert.Equal(first.Id, source.MergedIntoId);
        Assert.DoesNotContain(second.Timeline, e => e.Kind == TimelineKind.Merged);
    }

    // ---------------------------------------------------------------- Custom statuses

    [Fact]
    public void ApplyCustomStatus_DifferentCategory_ChangesStatusToCategoryAndSetsKey()
    {
        var conversation = ConversationIn(Open);
        var custom = CustomStatus.Create("warehouse", "Waiting on warehouse", Pending).Value;

        var result = conversation.ApplyCustomStatus(custom, Alice, Now.AddMinutes(1));

        Assert.True(result.IsSuccess);
        Assert.Equal(Pending, conversation.Status);
        Assert.Equal("warehouse", conversation.CustomStatusKey);
        Assert.Equal((Open, Pending), (SingleEvent<ConversationStatusChanged>(conversation).From, SingleEvent<ConversationStatusChanged>(conversation).To));
        var entry = conversation.Timeline[^1];
        Assert.Equal((TimelineKind.StatusChanged, "Waiting on warehouse"), (entry.Kind, entry.To));
    }

    [Fact]
    public void ApplyCustomStatus_SameCategory_SetsKeyWithoutStatusChange()
    {
        var conversation = ConversationIn(Pending);
        var custom = CustomStatus.Create("warehouse", "Waiting on warehouse", Pending).Value;

        var result = conversation.ApplyCustomStatus(custom, Alice, Now);

        Assert.True(result.IsSuccess);
        Assert.Equal("warehouse", conversation.CustomStatusKey);
        Assert.Empty(conversation.DomainEvents.OfType<ConversationStatusChanged>());
    }

    [Fact]
    public void ApplyCustomStatus_SnoozedCategoryWithoutTime_FailsAndKeepsState()
    {
        var conversation = ConversationIn(Open);
        var custom = CustomStatus.Create("later", "Later", Snoozed).Value;

        var result = conversation.ApplyCustomStatus(custom, Alice, Now);

        Assert.Equal("validation.conversation.snooze", result.Error?.Code);
        Assert.Equal(Open, conversation.Status);
        Assert.Null(conversation.CustomStatusKey);
    }

    [Fact]
    public void ApplyCustomStatus_SnoozedCategoryWithFutureTime_Snoozes()
    {
        var conversation = ConversationIn(Open);
        var custom = CustomStatus.Create("later", "Later", Snoozed).Value;

        conversation.ApplyCustomStatus(custom, Alice, Now, Now.AddDays(1));

        Assert.Equal(Snoozed, conversation.Status);
        Assert.Equal(Now.AddDays(1), conversation.SnoozedUntil);
        Assert.Equal("later", conversation.CustomStatusKey);
    }

    [Theory]
    [InlineData(Closed, Open)]
    [InlineData(Resolved, Pending)]
    public void ApplyCustomStatus_ForbiddenTransition_FailsWithoutKey(ConversationStatus current, ConversationStatus category)
    {
        var conversation = ConversationIn(current);
        var custom = CustomStatus.Create("custom", "Custom", category).Value;

        var result = conversation.ApplyCustomStatus(custom, Alice, Now);

        Assert.Equal("conflict.conversation.status", result.Error?.Code);
        Assert.Equal(current, conversation.Status);
        Assert.Null(conversation.CustomStatusKey);
    }

    [Fact]
    public void ChangeStatus_AfterCustomStatus_ClearsCustomStatusKey()
    {
        var conversation = ConversationIn(Open);
        conversation.ApplyCustomStatus(CustomStatus.Create("warehouse", "Warehouse", Pending).Value, Alice, Now);

        conversation.ChangeStatus(Open, Alice, Now.AddMinutes(1));

        Assert.Null(conversation.CustomStatusKey);
    }

    // ---------------------------------------------------------------- SLA & versioning

    [Fact]
    public void SetSlaDueTimes_Values_AreStoredAndRecorded()
    {
        var conversation = NewConversation();
        var first = Now.AddMinutes(15);

        conversation.SetSlaDueTimes(first, Now.AddHours(1), Now.AddDays(1), Now.AddSeconds(1));

        Assert.Equal(first, conversation.FirstResponseDueAt);
        Assert.Equal(Now.AddHours(1), conversation.NextResponseDueAt);
        Assert.Equal(Now.AddDays(1), conversation.ResolutionDueAt);
        var entry = conversation.Timeline[^1];
        Assert.Equal((TimelineKind.SlaChanged, ActorKind.System, first.ToString("O")), (entry.Kind, entry.ActorKind, entry.To));
    }

    [Fact]
    public void BumpVersion_CalledTwice_IncrementsByTwo()
    {
        var conversation = NewConversation();
        var before = conversation.Version;

        conversation.BumpVersion();
        conversation.BumpVersion();

        Assert.Equal(before + 2, conversation.Version);
    }

    [Fact]
    public void ClearDomainEvents_AfterOperations_EmptiesEvents()
    {
        var conversation = NewConversation();
        Assert.NotEmpty(conversation.DomainEvents);

        conversation.ClearDomainEvents();

        Assert.Empty(conversation.DomainEvents);
    }

    // ---------------------------------------------------------------- MoveToContact (contact merge)

    [Fact]
    public void MoveToContact_AnotherContact_MovesAndRecordsTheAuditEntry_SameContactChangesNothing()
    {
        var conversation = Conversation.Open(7, InboxId.New(), ChannelKind.Email, ContactId.New(), "Order", null, Alice, Now);
        var target = ContactId.New();

        Assert.True(conversation.MoveToContact(target, "Maria G.", "María García", Alice, Now.AddMinutes(1)).IsSuccess);
        var entries = conversation.Timeline.Count;
        Assert.True(conversation.MoveToContact(target, "María García", "María García", Alice, Now.AddMinutes(2)).IsSuccess);

        Assert.Equal(target, conversation.ContactId);
        var entry = conversation.Timeline.Single(t => t.Kind == TimelineKind.ContactMerged);
        Assert.Equal(("Maria G.", "María García"), (entry.From, entry.To));
        Assert.Equal(entries, conversation.Timeline.Count);
    }
}
