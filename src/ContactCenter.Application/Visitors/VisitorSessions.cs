using System.Security.Cryptography;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ContactCenter.Application.Visitors;

/// <summary>
/// A widget visitor opening (or resuming) a session. Known visitors pass their previous ids back. A host site may vouch
/// for its signed-in user with <see cref="UserId"/> and <see cref="UserHash"/> (see <see cref="IdentityHashes"/>);
/// <see cref="Origin"/> is the browser's Origin header, checked against the inbox's allowed origins.
/// </summary>
public sealed record StartVisitorSession(InboxId InboxId, string? KnownVisitorId, ContactId? KnownContactId, string? Name, string? UserId = null, string? UserHash = null, string? Origin = null);

/// <param name="Verified">The visitor is a user verified by the host site (history follows them across devices).</param>
public sealed record VisitorSession(InboxId InboxId, ContactId ContactId, string VisitorId, string ContactName, string? Greeting, bool Resumed, bool Verified = false);

public sealed class StartVisitorSessionHandler(IApplicationDbContext db, TimeProvider time, IConfiguration configuration)
{
    public async Task<Result<VisitorSession>> HandleAsync(StartVisitorSession command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == command.InboxId, cancellationToken);
        if (inbox is null || !inbox.IsEnabled || inbox.Channel != ChannelKind.WebChat)
        {
            return Error.NotFound("The chat inbox");
        }

        var policy = WidgetInboxPolicy.Of(inbox);
        if (!policy.AllowsOrigin(command.Origin))
        {
            return WidgetInboxPolicy.OriginRefused;
        }

        var name = command.Name?.Trim();
        if (name is { Length: > 100 })
        {
            return Error.Validation("visitor.name", "A name is at most 100 characters.");
        }

        var verified = VerifyUser(command, policy);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        if (verified.Value is { } userId)
        {
            return await VerifiedSessionAsync(inbox, userId, name, cancellationToken);
        }

        if (policy.RequireIdentity)
        {
            return WidgetInboxPolicy.IdentityRequired;
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

    /// <summary>The verified user id; null when none was claimed (or the inbox cannot verify and does not require it).</summary>
    private Result<string?> VerifyUser(StartVisitorSession command, WidgetInboxPolicy policy)
    {
        var userId = command.UserId?.Trim();
        if (string.IsNullOrEmpty(userId) && string.IsNullOrWhiteSpace(command.UserHash))
        {
            return (string?)null;
        }

        if (string.IsNullOrEmpty(userId) || userId.Length > IdentityHashes.MaxUserIdLength || userId.Any(char.IsControl))
        {
            return Error.Validation("visitor.user_id", $"A user id is 1 to {IdentityHashes.MaxUserIdLength} characters.");
        }

        var secret = policy.IdentitySecretKey is { } key ? configuration[key] : null;
        if (string.IsNullOrEmpty(secret))
        {
            // Nothing to verify against: an inbox that requires identity is misconfigured; one that doesn't ignores the claim.
            return policy.RequireIdentity ? WidgetInboxPolicy.IdentityNotConfigured : Result<string?>.Success(null);
        }

        // A claim that does not verify is refused even where identity is optional: it is a forgery, not an anonymous visitor.
        return IdentityHashes.Verify(secret, userId, command.UserHash) ? userId : WidgetInboxPolicy.IdentityInvalid;
    }

    private async Task<Result<VisitorSession>> VerifiedSessionAsync(Domain.Inboxes.Inbox inbox, string userId, string? name, CancellationToken cancellationToken)
    {
        var external = IdentityHashes.ExternalIdentity(inbox.Id, userId);
        var visitorId = IdentityHashes.VisitorIdOf(inbox.Id, userId);
        var visitorIdentity = ContactIdentity.Create(IdentityKind.WidgetVisitor, visitorId);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var contact = await db.FindContactByIdentityAsync(external, cancellationToken);
            var resumed = contact is not null;
            if (contact is null)
            {
                contact = Contact.Create(name, external, now);
                db.Contacts.Add(contact);
            }
            else if (!string.IsNullOrWhiteSpace(name) && name != contact.Name)
            {
                contact.Rename(name, now);
            }

            contact.AddIdentity(visitorIdentity, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new VisitorSession(inbox.Id, contact.Id, visitorId, contact.Name, inbox.Greeting, resumed, Verified: true);
            }
            catch (DbUpdateException ex) when (attempt < 2 && db.IsUniqueViolation(ex))
            {
                // The same user opened the chat on two devices at once: the other created the contact; use it.
                db.DiscardChanges();
            }
        }
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

/// <summary>
/// What a widget needs before the first message: the inbox's name, greeting, the topics (teams) it offers, and whether live
/// chat is on now (business hours, agents) or the offline form stands in for it.
/// </summary>
public sealed record WidgetConfig(Guid InboxId, string Name, string? Greeting, IReadOnlyList<WidgetTeamChoice> Teams, WidgetAvailability? Availability = null);

public sealed class WidgetConfigQuery(IApplicationDbContext db, WidgetAvailabilityQuery availability)
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
        return new WidgetConfig(inbox.Id.Value, inbox.Name, inbox.Greeting, teams, await availability.GetAsync(inbox, cancellationToken));
    }
}
