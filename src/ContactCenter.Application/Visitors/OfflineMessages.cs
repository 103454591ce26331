using System.Net.Mail;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Visitors;

/// <summary>
/// Web chat inbox settings for the offline form and transcripts:
/// <c>businessHoursId</c> (a business-hours calendar id; else the calendar of the inbox's default team; else always open),
/// <c>offlineWhenNoAgents</c> (default true: with no agent of the inbox online the widget offers the offline form) and
/// <c>offlineEmailInboxId</c> (the email inbox that receives offline messages and sends transcripts; else the first enabled email inbox).
/// Without any email inbox the widget stays on live chat (queueing) and offers no transcript.
/// </summary>
public static class WidgetOfflineSettings
{
    public const string BusinessHoursId = "businessHoursId";
    public const string OfflineWhenNoAgents = "offlineWhenNoAgents";
    public const string OfflineEmailInboxId = "offlineEmailInboxId";
}

/// <summary>Configuration <c>Widget:Forms</c>: per visitor, at most this many offline messages and transcript emails per hour.</summary>
public sealed class WidgetFormOptions
{
    public int OfflineMessagesPerHour { get; set; } = 3;
    public int TranscriptsPerHour { get; set; } = 3;
}

/// <param name="Online">Live chat is offered (open and, where the inbox asks for it, an agent is online).</param>
/// <param name="Reason"><c>open</c>, <c>closed</c> (outside business hours) or <c>no_agents</c>.</param>
/// <param name="OpensAt">When closed: the next opening.</param>
/// <param name="OfflineForm">Live chat is not offered and an email inbox takes offline messages: the widget shows the offline form.</param>
/// <param name="Transcripts">The customer can ask for the transcript by email.</param>
public sealed record WidgetAvailability(bool Online, string Reason, DateTimeOffset? OpensAt, bool OfflineForm, bool Transcripts);

/// <summary>Business hours and agent availability of a web chat inbox, and the email inbox behind its offline form.</summary>
public sealed class WidgetAvailabilityQuery(IApplicationDbContext db, ISlaDbContext sla, TimeProvider time)
{
    public async Task<WidgetAvailability> GetAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var email = await EmailInboxAsync(inbox, cancellationToken);
        var now = time.GetUtcNow();
        var clock = SlaClock.For(await CalendarAsync(inbox, cancellationToken));
        string reason;
        DateTimeOffset? opensAt = null;
        if (!clock.IsOpen(now))
        {
            reason = "closed";
            opensAt = clock.Add(now, TimeSpan.FromTicks(1)).AddTicks(-1);
        }
        else if (Setting(inbox, WidgetOfflineSettings.OfflineWhenNoAgents) is not "false" && !await AnyAgentOnlineAsync(inbox, cancellationToken))
        {
            reason = "no_agents";
        }
        else
        {
            reason = "open";
        }

        var online = reason == "open";
        return new WidgetAvailability(online, reason, opensAt, OfflineForm: !online && email is not null, Transcripts: email is not null);
    }

    /// <summary>The inbox's <c>offlineEmailInboxId</c> when it is an enabled email inbox, else the first enabled email inbox (by name).</summary>
    public async Task<Inbox?> EmailInboxAsync(Inbox webChatInbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webChatInbox);
        var emails = db.Inboxes.AsNoTracking().Where(i => i.IsEnabled && i.Channel == ChannelKind.Email);
        if (Guid.TryParse(Setting(webChatInbox, WidgetOfflineSettings.OfflineEmailInboxId), out var configured))
        {
            var id = new InboxId(configured);
            if (await emails.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) is { } chosen)
            {
                return chosen;
            }
        }

        return await emails.OrderBy(i => i.Name).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<BusinessHoursCalendar?> CalendarAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        BusinessHoursId? calendarId = Guid.TryParse(Setting(inbox, WidgetOfflineSettings.BusinessHoursId), out var configured) ? new BusinessHoursId(configured) : null;
        if (calendarId is null && inbox.DefaultTeamId is { } teamId)
        {
            calendarId = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.BusinessHoursId).FirstOrDefaultAsync(cancellationToken);
        }

        return calendarId is { } id ? await sla.BusinessHours.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
    }

    /// <summary>An active agent online in one of the inbox's teams (its default team and the teams it offers); any team when it has none.</summary>
    private async Task<bool> AnyAgentOnlineAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        var teams = InboxTeams.Offered(inbox).ToHashSet();
        if (inbox.DefaultTeamId is { } defaultTeam)
        {
            teams.Add(defaultTeam);
        }

        var online = await db.Agents.AsNoTracking().Where(a => a.IsActive && a.Presence == Presence.Online).ToListAsync(cancellationToken);
        return teams.Count == 0 ? online.Count > 0 : online.Any(a => a.TeamIds.Any(teams.Contains));
    }

    internal static string? Setting(Inbox inbox, string key) =>
        inbox.Settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim().ToLowerInvariant() : null;
}

/// <summary>The widget's offline form: who (name, email) and what; <paramref name="ClientId"/> makes a retry safe.</summary>
public sealed record SubmitOfflineMessage(InboxId InboxId, string VisitorId, string? ClientId, string? Name, string? Email, string? Message);

/// <param name="Reference">The email conversation's number (the customer's reference, as in email subjects: [#1234]).</param>
public sealed record OfflineMessageResult(Guid ConversationId, long Reference, bool Duplicate);

/// <summary>
/// Files an offline-form submission as a new conversation of the email inbox behind the widget, from the customer's email
/// address, so agents answer it by email like any ticket (through the outbox). Validated, idempotent on the client id
/// (scoped to the visitor), limited per visitor; committed before it is acknowledged.
/// </summary>
public sealed class SubmitOfflineMessageHandler(
    IApplicationDbContext db,
    WidgetAvailabilityQuery availability,
    ReceiveInboundMessageHandler receive,
    IOptions<WidgetFormOptions> options,
    TimeProvider time)
{
    public const int MaxNameLength = 100;
    private const string ExternalIdPrefix = "offline:";

    public async Task<Result<OfflineMessageResult>> HandleAsync(SubmitOfflineMessage command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var clientId = command.ClientId?.Trim();
        if (string.IsNullOrEmpty(clientId) || clientId.Length > WidgetMessageIds.MaxClientIdLength)
        {
            return Error.Validation("offline.client_id", $"Each offline message needs a client id of at most {WidgetMessageIds.MaxClientIdLength} characters (it makes retries safe).");
        }

        var name = command.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return Error.Validation("offline.name", $"Please enter your name (at most {MaxNameLength} characters).");
        }

        if (EmailAddresses.Normalize(command.Email) is not { } email)
        {
            return Error.Validation("offline.email", "Please enter a valid email address, so we can answer you.");
        }

        var text = command.Message?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Error.Validation("offline.message", "Please write your message.");
        }

        if (text.Length > MessageContent.MaxTextLength)
        {
            return Error.Validation("offline.message", $"A message can be at most {MessageContent.MaxTextLength:N0} characters long.");
        }

        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == command.InboxId && i.IsEnabled, cancellationToken);
        var emailInbox = inbox is null ? null : await availability.EmailInboxAsync(inbox, cancellationToken);
        if (emailInbox is null)
        {
            return Error.NotFound("An email inbox for offline messages");
        }

        var externalId = $"{ExternalIdPrefix}{command.VisitorId}:{clientId}";
        var since = time.GetUtcNow().AddHours(-1);
        var visitorPrefix = $"{ExternalIdPrefix}{command.VisitorId}:";
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.InboxId == emailInbox.Id && m.ExternalId != null && m.ExternalId.StartsWith(visitorPrefix))
            .Select(m => new { m.ExternalId, m.CreatedAt })
            .ToListAsync(cancellationToken);
        // A retry of a stored message is answered as such even over the limit; a new one over the limit stores nothing.
        if (!recent.Any(m => m.ExternalId == externalId) && recent.Count(m => m.CreatedAt >= since) >= Math.Max(1, options.Value.OfflineMessagesPerHour))
        {
            return new Error("rate_limited", "You have sent several messages already; please wait a while before sending another.");
        }

        var result = await receive.HandleAsync(
            new InboundMessage(emailInbox.Id, ContactIdentity.Create(IdentityKind.Email, email), name, externalId, text,
                Subject: $"{inbox!.Name}: {FirstLine(text)}"),
            cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        var number = await db.Conversations.AsNoTracking().Where(c => c.Id == result.Value.ConversationId).Select(c => c.Number).FirstAsync(cancellationToken);
        return new OfflineMessageResult(result.Value.ConversationId.Value, number, result.Value.Duplicate);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 60 ? line : line[..60] + "…";
    }
}

public static class EmailAddresses
{
    public const int MaxLength = 254;

    /// <summary>A plain address (no display name) in lower case, or null when it is not one.</summary>
    public static string? Normalize(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }
}
