using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Ingest;

/// <summary>
/// One customer message from any channel, already verified and normalised by its adapter.
/// ExternalId is the channel's id for the message (Message-ID, wamid, widget client message id):
/// the same ExternalId on the same inbox is stored once, however often it is retried.
/// AlsoKnownAs: the sender's other identities (a WhatsApp sender's phone number), added to the contact in the same
/// transaction unless another contact owns them.
/// </summary>
public sealed record InboundMessage(
    InboxId InboxId,
    ContactIdentity Sender,
    string? SenderName,
    string? ExternalId,
    string Text,
    string? Html = null,
    IReadOnlyList<Attachment>? Attachments = null,
    string? Subject = null,
    ConversationId? ThreadConversationId = null,
    RoutingHints? Hints = null,
    ContactId? KnownContactId = null,
    IReadOnlyList<ContactIdentity>? AlsoKnownAs = null);

/// <summary>
/// The customer's choice when a conversation opens (e.g. the widget's topic picker): a team, which must be
/// one of the inbox's offered teams (setting "teamChoices"), and skills the agent needs.
/// When <paramref name="ChosenBy"/> is a staff member (a conversation created through the API), the team may be any
/// team (the caller checked it exists), and the priority and tags are set on the new conversation in the same transaction.
/// </summary>
public sealed record RoutingHints(
    TeamId? TeamId,
    IReadOnlyDictionary<string, int>? Skills = null,
    Priority? Priority = null,
    IReadOnlyList<string>? Tags = null,
    Actor? ChosenBy = null);

public sealed record InboundResult(ConversationId ConversationId, MessageId MessageId, ContactId ContactId, bool Duplicate, bool NewConversation);

/// <summary>The teams an inbox lets customers pick from (setting "teamChoices": comma-separated team ids).</summary>
public static class InboxTeams
{
    public const string Setting = "teamChoices";

    public static IReadOnlyList<TeamId> Offered(Domain.Inboxes.Inbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return inbox.Settings.TryGetValue(Setting, out var value)
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => Guid.TryParse(v, out var id) ? new TeamId(id) : (TeamId?)null)
                .OfType<TeamId>().ToList()
            : [];
    }
}

/// <summary>Resolves the contact, threads into a conversation (or opens one) and stores the message — one transaction.</summary>
public sealed class ReceiveInboundMessageHandler(IApplicationDbContext db, TimeProvider time, IHtmlCleaner htmlCleaner, Diagnostics.ContactCenterMetrics metrics,
    Assist.CustomerEmotionStep emotion, Files.IFileOwnersDbContext fileOwners)
{
    /// <summary>Saves retried after a concurrent change of the same conversation (a reply, an assignment) before giving up.</summary>
    private const int MaxAttempts = 6;

    public const int MaxExternalIdLength = 200;

    public Task<Result<InboundResult>> HandleAsync(InboundMessage inbound, CancellationToken cancellationToken) =>
        HandleCoreAsync(inbound, null, cancellationToken);

    /// <summary>The same, for a caller that has already read the (enabled) inbox: it is not read again.</summary>
    public Task<Result<InboundResult>> HandleAsync(InboundMessage inbound, Domain.Inboxes.Inbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return HandleCoreAsync(inbound, inbox, cancellationToken);
    }

    private async Task<Result<InboundResult>> HandleCoreAsync(InboundMessage inbound, Domain.Inboxes.Inbox? inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var content = new MessageContent(inbound.Text ?? "", inbound.Html is null ? null : htmlCleaner.Clean(inbound.Html), inbound.Attachments);
        var valid = content.Validate();
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (inbound.ExternalId is { Length: > MaxExternalIdLength })
        {
            return Error.Validation("message.external_id", $"A message id is at most {MaxExternalIdLength} characters.");
        }

        inbox ??= await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inbound.InboxId, cancellationToken);
        if (inbox is null || inbox.Id != inbound.InboxId || !inbox.IsEnabled)
        {
            return Error.NotFound("The inbox");
        }

        return await StoreWithRetriesAsync(inbound, inbox, content, cancellationToken);
    }

    private async Task<Result<InboundResult>> StoreWithRetriesAsync(InboundMessage inbound, Domain.Inboxes.Inbox inbox, MessageContent content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var duplicate = await FindDuplicateAsync(inbound, cancellationToken);
            if (duplicate is not null)
            {
                return duplicate;
            }

            var result = await StoreAsync(inbound, inbox, content, cancellationToken);
            try
            {
                if (result.IsSuccess)
                {
                    await IndexFilesAsync(inbound.Attachments, result.Value.MessageId, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }

                return result;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && (db.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException))
            {
                // A concurrent delivery of the same message (or a concurrent change of the conversation):
                // forget this attempt and look again; the duplicate check then finds the winner.
                db.DiscardChanges();
            }
        }
    }

    /// <summary>Records which message each new file belongs to (in the same save), so downloads can be checked against its conversation.</summary>
    private async Task IndexFilesAsync(IReadOnlyList<Attachment>? attachments, MessageId messageId, CancellationToken cancellationToken)
    {
        var keys = (attachments ?? []).Select(a => a.StorageKey).Where(k => k.Length is > 0 and <= Files.FileOwner.MaxKeyLength).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var known = await fileOwners.FileOwners.AsNoTracking().Where(f => keys.Contains(f.StorageKey)).Select(f => f.StorageKey).ToListAsync(cancellationToken);
        fileOwners.FileOwners.AddRange(keys.Except(known, StringComparer.Ordinal).Select(k => Files.FileOwner.Of(k, messageId)));
    }

    private async Task<InboundResult?> FindDuplicateAsync(InboundMessage inbound, CancellationToken cancellationToken)
    {
        if (inbound.ExternalId is null)
        {
            return null;
        }

        var existing = await db.Messages.AsNoTracking()
            .Where(m => m.InboxId == inbound.InboxId && m.ExternalId == inbound.ExternalId)
            .Select(m => new { m.Id, m.ConversationId })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            return null;
        }

        var contactId = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == existing.ConversationId)
            .Select(c => c.ContactId)
            .FirstAsync(cancellationToken);
        return new InboundResult(existing.ConversationId, existing.Id, contactId, Duplicate: true, NewConversation: false);
    }

    private async Task<Result<InboundResult>> StoreAsync(InboundMessage inbound, Domain.Inboxes.Inbox inbox, MessageContent content, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var contact = inbound.KnownContactId is { } knownId
            ? await db.Contacts.FirstOrDefaultAsync(c => c.Id == knownId, cancellationToken)
            : await db.FindContactByIdentityAsync(inbound.Sender, cancellationToken);
        if (contact is null && inbound.KnownContactId is not null)
        {
            return Error.NotFound("The contact");
        }

        if (contact is null)
        {
            contact = Contact.Create(inbound.SenderName, inbound.Sender, now);
            db.Contacts.Add(contact);
        }

        foreach (var other in inbound.AlsoKnownAs ?? [])
        {
            if (!contact.HasIdentity(other) && await db.FindContactByIdentityAsync(other, cancellationToken) is null)
            {
                contact.AddIdentity(other, now);
            }
        }

        var conversation = await FindConversationAsync(inbound, inbox.Channel, contact.Id, cancellationToken);
        var isNew = false;
        if (conversation is null || conversation.Status == ConversationStatus.Closed)
        {
            var subject = inbound.Subject ?? FirstLine(inbound.Text);
            var team = inbound.Hints?.TeamId is { } chosen && (inbound.Hints.ChosenBy is not null || InboxTeams.Offered(inbox).Contains(chosen)) ? chosen : inbox.DefaultTeamId;
            conversation = Conversation.Open(Conversation.NumberOnSave, inbox.Id, inbox.Channel, contact.Id, subject, team, inbound.Hints?.ChosenBy ?? Actor.Contact(contact.Id, contact.Name), now);
            if (ApplyStaffChoices(conversation, inbound.Hints, now) is { } refused)
            {
                return refused;
            }

            if (inbound.Hints?.Skills is { Count: > 0 } skills)
            {
                var required = conversation.RequireSkills(skills, Actor.Contact(contact.Id, contact.Name), now);
                if (!required.IsSuccess)
                {
                    return required.Error!;
                }
            }

            db.Conversations.Add(conversation);
            isNew = true;
        }

        var received = conversation.ReceiveFromContact(contact.Name, content, inbound.ExternalId, now);
        if (!received.IsSuccess)
        {
            return received.Error!;
        }

        await emotion.ApplyAsync(conversation, received.Value, isNew, now, cancellationToken);
        metrics.MessageReceived(inbox.Channel);
        return new InboundResult(conversation.Id, received.Value.Id, contact.Id, Duplicate: false, isNew);
    }

    /// <summary>Priority and tags chosen by the staff member who created the conversation (API), before it is routed.</summary>
    private static Error? ApplyStaffChoices(Conversation conversation, RoutingHints? hints, DateTimeOffset now)
    {
        if (hints?.ChosenBy is not { } by)
        {
            return null;
        }

        if (hints.Priority is { } priority && priority != conversation.Priority && conversation.ChangePriority(priority, by, now) is { IsSuccess: false } p)
        {
            return p.Error;
        }

        foreach (var tag in hints.Tags ?? [])
        {
            if (conversation.AddTag(tag, by, now) is { IsSuccess: false } t)
            {
                return t.Error;
            }
        }

        return null;
    }

    private async Task<Conversation?> FindConversationAsync(InboundMessage inbound, ChannelKind channel, ContactId contactId, CancellationToken cancellationToken)
    {
        if (inbound.ThreadConversationId is { } threadId)
        {
            var threaded = await db.Conversations.FirstOrDefaultAsync(c => c.Id == threadId && c.ContactId == contactId, cancellationToken);
            if (threaded is not null)
            {
                return threaded;
            }
        }

        if (channel is ChannelKind.Email or ChannelKind.Api)
        {
            // Email threads only by headers or the subject token; an unthreaded email is a new ticket.
            // A conversation created through the API is always a new one.
            return null;
        }

        return await db.Conversations
            .Where(c => c.ContactId == contactId && c.InboxId == inbound.InboxId && c.Status != ConversationStatus.Closed)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static string FirstLine(string text)
    {
        var line = (text ?? "").Split('\n', 2)[0].Trim();
        return line.Length <= 80 ? line : line[..80] + "…";
    }
}
