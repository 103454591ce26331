using System.Security.Cryptography;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Visitors;

/// <summary>A widget visitor opening (or resuming) a session. Known visitors pass their previous ids back.</summary>
public sealed record StartVisitorSession(InboxId InboxId, string? KnownVisitorId, ContactId? KnownContactId, string? Name);

public sealed record VisitorSession(InboxId InboxId, ContactId ContactId, string VisitorId, string ContactName, string? Greeting, bool Resumed);

public sealed class StartVisitorSessionHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result<VisitorSession>> HandleAsync(StartVisitorSession command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == command.InboxId, cancellationToken);
        if (inbox is null || !inbox.IsEnabled || inbox.Channel != ChannelKind.WebChat)
        {
            return Error.NotFound("The chat inbox");
        }

        var name = command.Name?.Trim();
        if (name is { Length: > 100 })
        {
            return Error.Validation("visitor.name", "A name is at most 100 characters.");
        }

        if (command.KnownVisitorId is { } visitorId && command.KnownContactId is { } contactId)
        {
            var identity = ContactIdentity.Create(IdentityKind.WidgetVisitor, visitorId);
            var known = await db.FindContactByIdentityAsync(identity, cancellationToken);
            if (known is not null && known.Id == contactId)
            {
                if (!string.IsNullOrWhiteSpace(name) && name != known.Name)
                {
                    known.Rename(name, time.GetUtcNow());
                    await db.SaveChangesAsync(cancellationToken);
                }

                return new VisitorSession(inbox.Id, known.Id, visitorId, known.Name, inbox.Greeting, Resumed: true);
            }
        }

        var newVisitorId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var contact = Contact.Create(name, ContactIdentity.Create(IdentityKind.WidgetVisitor, newVisitorId), time.GetUtcNow());
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        return new VisitorSession(inbox.Id, contact.Id, newVisitorId, contact.Name, inbox.Greeting, Resumed: false);
    }
}

public sealed class VisitorQueries(IApplicationDbContext db)
{
    /// <summary>The visitor's current (not closed) conversation on this inbox, if any.</summary>
    public Task<ConversationId?> OpenConversationAsync(ContactId contactId, InboxId inboxId, CancellationToken cancellationToken) =>
        db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == contactId && c.InboxId == inboxId && c.Status != ConversationStatus.Closed)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => (ConversationId?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<ChatMessageDto>> HistoryAsync(ContactId contactId, InboxId inboxId, int take, CancellationToken cancellationToken)
    {
        var conversationIds = db.Conversations.Where(c => c.ContactId == contactId && c.InboxId == inboxId).Select(c => c.Id);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => conversationIds.Contains(m.ConversationId) && !m.IsPrivate)
            .OrderByDescending(m => m.CreatedAt)
            .Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
        messages.Reverse();
        return messages.Select(m => ChatMessageDto.From(MessageDto.From(m))).ToList();
    }
}

/// <summary>
/// A widget message's idempotency key: the client's message id scoped to its visitor, so that two
/// visitors can never collide and a retry by the same visitor is recognised.
/// </summary>
public static class WidgetMessageIds
{
    public const int MaxClientIdLength = 100;
    private const string Prefix = "w:";

    public static string Compose(string visitorId, string clientMessageId) => $"{Prefix}{visitorId}:{clientMessageId}";

    public static string? ClientIdOf(string? externalId)
    {
        if (externalId is null || !externalId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = externalId.IndexOf(':', Prefix.Length);
        return separator < 0 ? null : externalId[(separator + 1)..];
    }
}

public sealed record WidgetTeamChoice(Guid Id, string Name);

/// <summary>What a widget needs before the first message: the inbox's name, greeting and the topics (teams) it offers.</summary>
public sealed record WidgetConfig(Guid InboxId, string Name, string? Greeting, IReadOnlyList<WidgetTeamChoice> Teams);

public sealed class WidgetConfigQuery(IApplicationDbContext db)
{
    public async Task<WidgetConfig?> GetAsync(InboxId inboxId, CancellationToken cancellationToken)
    {
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.IsEnabled && i.Channel == ChannelKind.WebChat, cancellationToken);
        if (inbox is null)
        {
            return null;
        }

        var offered = Conversations.Ingest.InboxTeams.Offered(inbox).Select(t => (TeamId?)t).ToList();
        var teams = offered.Count == 0
            ? []
            : await db.Teams.AsNoTracking().Where(t => offered.Contains(t.Id)).OrderBy(t => t.Name)
                .Select(t => new WidgetTeamChoice(t.Id.Value, t.Name)).ToListAsync(cancellationToken);
        return new WidgetConfig(inbox.Id.Value, inbox.Name, inbox.Greeting, teams);
    }
}
