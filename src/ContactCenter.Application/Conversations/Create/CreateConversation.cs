using System.Net.Mail;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Create;

/// <summary>Who the conversation is with: an existing contact (<paramref name="Id"/>), or a name with an email and/or a phone.</summary>
public sealed record NewConversationContact(Guid? Id = null, string? Name = null, string? Email = null, string? Phone = null);

/// <summary>
/// A conversation opened through the REST API on an API inbox (<see cref="ChannelKind.Api"/>), with the customer's first message.
/// <paramref name="ExternalId"/> is the caller's id for it: the same ExternalId on the same inbox creates one conversation, however often it is sent.
/// </summary>
public sealed record CreateConversation(
    Guid InboxId,
    NewConversationContact? Contact,
    string? Subject,
    string? Message,
    Priority? Priority = null,
    IReadOnlyList<string>? Tags = null,
    Guid? TeamId = null,
    string? ExternalId = null);

/// <param name="Created">False when the ExternalId was already used on the inbox: the existing conversation is returned.</param>
public sealed record CreatedConversation(ConversationId ConversationId, bool Created);

/// <summary>Validates the request and hands it to the ingest use case, so the conversation is stored, threaded and routed like any other.</summary>
public sealed class CreateConversationHandler(IApplicationDbContext db, ReceiveInboundMessageHandler ingest, TimeProvider time)
{
    public const int MaxTags = Conversation.MaxTags;

    public async Task<Result<CreatedConversation>> HandleAsync(StaffMember staff, CreateConversation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command) is { } invalid)
        {
            return invalid;
        }

        var inboxId = new InboxId(command.InboxId);
        // Read once: the ingest takes the inbox as it is instead of reading it again.
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.IsEnabled, cancellationToken);
        if (inbox is null)
        {
            return Error.NotFound("The inbox");
        }

        if (inbox.Channel != ChannelKind.Api)
        {
            return Error.Validation("conversation.inbox", "Conversations are created through the API on an inbox of the Api channel.");
        }

        TeamId? teamId = command.TeamId is { } t ? new TeamId(t) : null;
        if (teamId is { } team && !await db.Teams.AsNoTracking().AnyAsync(x => x.Id == team, cancellationToken))
        {
            return Error.Validation("conversation.team", "No such team.");
        }

        var contact = command.Contact!;
        ContactId? knownContact = contact.Id is { } id ? new ContactId(id) : null;
        var sender = knownContact is not null ? new ContactIdentity(IdentityKind.External, "") : Identity(contact);
        var hints = new RoutingHints(teamId, Priority: command.Priority, Tags: command.Tags, ChosenBy: staff.Actor);
        var inbound = new InboundMessage(inboxId, sender, contact.Name, command.ExternalId, command.Message!, Subject: command.Subject, Hints: hints, KnownContactId: knownContact);
        var stored = await ingest.HandleAsync(inbound, inbox, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error!;
        }

        if (knownContact is null && contact is { Email: { Length: > 0 }, Phone: { Length: > 0 } phone })
        {
            await AddPhoneAsync(stored.Value.ContactId, phone, cancellationToken);
        }

        return new CreatedConversation(stored.Value.ConversationId, !stored.Value.Duplicate);
    }

    private static Error? Validate(CreateConversation command)
    {
        if (command.Contact is not { } contact)
        {
            return Error.Validation("conversation.contact", "A contact is required: an existing contact's id, or a name with an email and/or a phone.");
        }

        if (contact.Id is null && string.IsNullOrWhiteSpace(contact.Email) && string.IsNullOrWhiteSpace(contact.Phone))
        {
            return Error.Validation("conversation.contact", "A new contact needs an email or a phone.");
        }

        if (contact.Id is null && !string.IsNullOrWhiteSpace(contact.Email) && !MailAddress.TryCreate(contact.Email.Trim(), out _))
        {
            return Error.Validation("contact.email", "The email address is not valid.");
        }

        if (contact.Id is null && !string.IsNullOrWhiteSpace(contact.Phone) && contact.Phone.Count(char.IsAsciiDigit) is < 5 or > 20)
        {
            return Error.Validation("contact.phone", "The phone number is not valid.");
        }

        if (string.IsNullOrWhiteSpace(command.Message))
        {
            return Error.Validation("message.text", "The first message is required.");
        }

        if (command.Subject is { Length: > Conversation.MaxSubjectLength })
        {
            return Error.Validation("conversation.subject", $"A subject is at most {Conversation.MaxSubjectLength} characters.");
        }

        if (command.Priority is { } priority && !Enum.IsDefined(priority))
        {
            return Error.Validation("conversation.priority", "Unknown priority.");
        }

        if (command.Tags is { Count: > MaxTags })
        {
            return Error.Validation("conversation.tags", $"A conversation can have at most {MaxTags} tags.");
        }

        return command.ExternalId is { } externalId && (externalId.Length is 0 or > ReceiveInboundMessageHandler.MaxExternalIdLength || string.IsNullOrWhiteSpace(externalId))
            ? Error.Validation("conversation.external_id", $"An externalId is 1 to {ReceiveInboundMessageHandler.MaxExternalIdLength} characters.")
            : null;
    }

    private static ContactIdentity Identity(NewConversationContact contact) =>
        !string.IsNullOrWhiteSpace(contact.Email)
            ? ContactIdentity.Create(IdentityKind.Email, contact.Email)
            : ContactIdentity.Create(IdentityKind.Phone, contact.Phone!);

    /// <summary>A new contact given both: the phone joins the contact found or created by its email, unless another contact owns it.</summary>
    private async Task AddPhoneAsync(ContactId contactId, string phone, CancellationToken cancellationToken)
    {
        var identity = ContactIdentity.Create(IdentityKind.Phone, phone);
        if (await db.FindContactByIdentityAsync(identity, cancellationToken) is not null)
        {
            return;
        }

        var contact = await db.Contacts.FirstAsync(c => c.Id == contactId, cancellationToken);
        contact.AddIdentity(identity, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            db.DiscardChanges(); // a concurrent request linked the phone elsewhere first
        }
    }
}
