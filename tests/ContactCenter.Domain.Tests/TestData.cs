using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Tests;

/// <summary>Shared builders: a fixed clock and conversations in a given state.</summary>
internal static class TestData
{
    /// <summary>The fixed "now" every test uses (no wall clock).</summary>
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static readonly AgentId AliceId = new(Guid.Parse("00000000-0000-0000-0000-00000000a11c"));
    public static readonly AgentId BobId = new(Guid.Parse("00000000-0000-0000-0000-000000000b0b"));
    public static readonly Actor Alice = Actor.Agent(AliceId, "Alice");
    public static readonly Actor Bob = Actor.Agent(BobId, "Bob");

    public static MessageContent Text(string text = "Hello") => new(text);

    public static Attachment File(string name = "invoice.pdf") => new(name, "application/pdf", 1234, "files/" + name);

    public static Conversation NewConversation(
        ChannelKind channel = ChannelKind.WebChat,
        TeamId? teamId = null,
        ContactId? contactId = null,
        long number = 1,
        string? subject = "Order question") =>
        Conversation.Open(number, InboxId.New(), channel, contactId ?? ContactId.New(), subject, teamId, Actor.System, Now);

    /// <summary>A fresh (unassigned) conversation brought from New straight to the given status.</summary>
    public static Conversation ConversationIn(ConversationStatus status, ContactId? contactId = null, long number = 1)
    {
        var conversation = NewConversation(contactId: contactId, number: number);
        if (status != ConversationStatus.New)
        {
            var snoozeUntil = status == ConversationStatus.Snoozed ? Now.AddHours(1) : (DateTimeOffset?)null;
            var changed = conversation.ChangeStatus(status, Actor.System, Now, snoozeUntil);
            if (!changed.IsSuccess)
            {
                throw new InvalidOperationException($"Setup failed: New -> {status}: {changed.Error}");
            }
        }

        conversation.ClearDomainEvents();
        return conversation;
    }

    public static T SingleEvent<T>(AggregateRoot aggregate)
        where T : IDomainEvent => Assert.Single(aggregate.DomainEvents.OfType<T>());
}
