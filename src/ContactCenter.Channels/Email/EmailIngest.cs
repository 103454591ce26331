using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Email;
using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ContactCenter.Channels.Email;

public enum EmailOutcomeKind
{
    Filed = 0,
    Duplicate = 1,
    Bounce = 2,
    Quarantined = 3,
}

/// <summary>What became of one email. Quarantined mail is stored too (raw, with the reason), so it may be acknowledged.</summary>
public sealed record EmailOutcome(EmailOutcomeKind Kind, EmailKind Classification, ConversationId? ConversationId, bool NewConversation, string? Reason)
{
    public static EmailOutcome Failed(string reason) => new(EmailOutcomeKind.Quarantined, EmailKind.Personal, null, false, reason);
}

/// <summary>
/// Files one raw email of an email inbox: bounces mark our outbound message failed, everything else is threaded
/// (In-Reply-To/References against Message-IDs received or sent, then the subject's [#1234] token) and stored through
/// <see cref="ReceiveInboundMessageHandler"/>; whatever cannot be filed is quarantined with its raw bytes and reason.
/// Database failures propagate (the SMTP receiver answers 451, the IMAP poller retries later): nothing is acknowledged
/// before it is committed.
/// </summary>
public sealed partial class EmailIngest(
    IApplicationDbContext db,
    IOutboxDbContext outbox,
    IEmailDbContext email,
    ReceiveInboundMessageHandler handler,
    EmailNormaliser normaliser,
    IFileStorage storage,
    TimeProvider time,
    ILogger<EmailIngest> logger)
{
    public const string QuarantinePrefix = "q_";

    public async Task<EmailOutcome> IngestAsync(InboxId inboxId, ReadOnlyMemory<byte> raw, string source, CancellationToken cancellationToken)
    {
        var outcome = await TryFileAsync(inboxId, raw, cancellationToken);
        if (outcome.Kind != EmailOutcomeKind.Quarantined)
        {
            return outcome;
        }

        return await QuarantineAsync(inboxId, raw, source, outcome.Reason ?? "unknown", cancellationToken)
            ? outcome
            : outcome with { Kind = EmailOutcomeKind.Duplicate, Reason = "already quarantined: " + outcome.Reason };
    }

    /// <summary>Runs a quarantined email through ingestion again; it stays held (with the new reason) when it still fails.</summary>
    public async Task<Result<EmailOutcome>> ReprocessAsync(Guid quarantineId, CancellationToken cancellationToken)
    {
        var item = await email.EmailQuarantine.FirstOrDefaultAsync(q => q.Id == quarantineId, cancellationToken);
        if (item is null)
        {
            return Error.NotFound("The quarantined email");
        }

        await using var stream = await storage.OpenReadAsync(item.RawKey, cancellationToken);
        if (stream is null)
        {
            return Error.NotFound("The quarantined email's raw file");
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        var outcome = await TryFileAsync(item.InboxId, buffer.ToArray(), cancellationToken);
        var held = await email.EmailQuarantine.FirstAsync(q => q.Id == quarantineId, cancellationToken);
        if (outcome.Kind == EmailOutcomeKind.Quarantined)
        {
            held.StillFailing(outcome.Reason ?? "unknown");
        }
        else
        {
            held.MarkReprocessed(time.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        return outcome;
    }

    private async Task<EmailOutcome> TryFileAsync(InboxId inboxId, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        MimeMessage message;
        EmailKind kind;
        try
        {
            using var stream = new MemoryStream(raw.ToArray(), writable: false);
            message = await MimeMessage.LoadAsync(stream, cancellationToken);
            kind = EmailClassifier.Classify(message);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return EmailOutcome.Failed($"unparseable: {ex.Message}");
        }

        if (kind == EmailKind.Bounce)
        {
            return await ReportBounceAsync(inboxId, message, cancellationToken);
        }

        if (EmailNormaliser.SenderOf(message) is null)
        {
            return EmailOutcome.Failed("no sender address (From/Sender missing or invalid)");
        }

        var externalId = EmailNormaliser.ExternalIdOf(message, raw.Span);
        var existing = await db.Messages.AsNoTracking()
            .Where(m => m.InboxId == inboxId && m.ExternalId == externalId)
            .Select(m => (ConversationId?)m.ConversationId)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return new EmailOutcome(EmailOutcomeKind.Duplicate, kind, existing, false, null);
        }

        var thread = await FindThreadAsync(inboxId, message, cancellationToken);
        InboundMessage inbound;
        try
        {
            // Only content problems are caught here: storage and database failures propagate (SMTP answers 451).
            inbound = await normaliser.NormaliseAsync(inboxId, message, raw, thread, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return EmailOutcome.Failed($"unreadable content: {ex.Message}");
        }

        var result = await handler.HandleAsync(inbound, cancellationToken);
        if (!result.IsSuccess)
        {
            db.DiscardChanges();
            return EmailOutcome.Failed($"rejected: {result.Error!.Code}: {result.Error.Message}");
        }

        var filed = result.Value;
        LogFiled(inboxId.Value, filed.ConversationId.Value, filed.NewConversation, kind);
        return new EmailOutcome(filed.Duplicate ? EmailOutcomeKind.Duplicate : EmailOutcomeKind.Filed, kind, filed.ConversationId, filed.NewConversation, null);
    }

    /// <summary>In-Reply-To then References (newest first) against messages received or sent on this inbox, then the subject token.</summary>
    private async Task<ConversationId?> FindThreadAsync(InboxId inboxId, MimeMessage message, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (!string.IsNullOrEmpty(message.InReplyTo))
        {
            ids.Add(message.InReplyTo);
        }

        ids.AddRange(message.References.Reverse().Take(50));
        if (ids.Count > 0)
        {
            var received = await db.Messages.AsNoTracking()
                .Where(m => m.InboxId == inboxId && m.ExternalId != null && ids.Contains(m.ExternalId))
                .Select(m => new { m.ExternalId, m.ConversationId })
                .ToListAsync(cancellationToken);
            var sent = await outbox.Outbox.AsNoTracking()
                .Where(o => o.InboxId == inboxId && o.ProviderMessageId != null && ids.Contains(o.ProviderMessageId))
                .Select(o => new { ExternalId = o.ProviderMessageId, o.ConversationId })
                .ToListAsync(cancellationToken);
            var known = received.Concat(sent).ToLookup(k => k.ExternalId!, k => k.ConversationId, StringComparer.Ordinal);
            foreach (var id in ids)
            {
                if (known[id].FirstOrDefault() is { } conversationId && conversationId != default)
                {
                    return conversationId;
                }
            }
        }

        if (EmailNormaliser.TicketNumberOf(message.Subject) is { } number)
        {
            return await db.Conversations.AsNoTracking()
                .Where(c => c.InboxId == inboxId && c.Number == number)
                .Select(c => (ConversationId?)c.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }

        return null;
    }

    /// <summary>A bounce marks the outbound message it reports on failed (with the diagnostic); it never opens a conversation.</summary>
    private async Task<EmailOutcome> ReportBounceAsync(InboxId inboxId, MimeMessage message, CancellationToken cancellationToken)
    {
        var report = EmailClassifier.ReadBounce(message);
        var ids = report.OriginalMessageIds;
        var item = ids.Count == 0 ? null : await outbox.Outbox.AsNoTracking()
            .Where(o => o.InboxId == inboxId && o.ProviderMessageId != null && ids.Contains(o.ProviderMessageId))
            .Select(o => new { o.MessageId, o.ConversationId })
            .FirstOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            return new EmailOutcome(EmailOutcomeKind.Quarantined, EmailKind.Bounce, null, false, "bounce about a message this inbox did not send");
        }

        if (!report.Failed)
        {
            return new EmailOutcome(EmailOutcomeKind.Bounce, EmailKind.Bounce, item.ConversationId, false, "delivery delayed, not failed");
        }

        var conversation = await db.Conversations.FirstAsync(c => c.Id == item.ConversationId, cancellationToken);
        var sentMessage = await db.Messages.FirstAsync(m => m.Id == item.MessageId, cancellationToken);
        conversation.ReportDelivery(sentMessage, DeliveryStatus.Failed, time.GetUtcNow(), "Bounced: " + report.Diagnostic);
        await db.SaveChangesAsync(cancellationToken);
        return new EmailOutcome(EmailOutcomeKind.Bounce, EmailKind.Bounce, item.ConversationId, false, report.Diagnostic);
    }

    /// <summary>Holds the raw email with the reason; false when the same bytes are already held for this inbox.</summary>
    private async Task<bool> QuarantineAsync(InboxId inboxId, ReadOnlyMemory<byte> raw, string source, string reason, CancellationToken cancellationToken)
    {
        db.DiscardChanges();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw.Span));
        if (await email.EmailQuarantine.AnyAsync(q => q.InboxId == inboxId && q.RawSha256 == hash, cancellationToken))
        {
            return false;
        }

        var key = $"{QuarantinePrefix}{inboxId.Value:N}_{Guid.CreateVersion7():N}.eml";
        using (var stream = new MemoryStream(raw.ToArray(), writable: false))
        {
            await storage.SaveAsync(key, stream, cancellationToken);
        }

        var (subject, from) = Peek(raw);
        email.EmailQuarantine.Add(EmailQuarantineItem.Hold(inboxId, source, reason, key, hash, raw.Length, subject, from, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        LogQuarantined(inboxId.Value, Application.Common.LogRedaction.Text(reason));
        return true;
    }

    private static (string? Subject, string? From) Peek(ReadOnlyMemory<byte> raw)
    {
        try
        {
            using var stream = new MemoryStream(raw.ToArray(), writable: false);
            var headers = HeaderList.Load(stream);
            return (headers[HeaderId.Subject], headers[HeaderId.From]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    [LoggerMessage(EventId = 8500, Level = LogLevel.Information, Message = "Email filed in inbox {InboxId}: conversation {ConversationId} (new: {New}, {Kind})")]
    private partial void LogFiled(Guid inboxId, Guid conversationId, bool @new, EmailKind kind);

    [LoggerMessage(EventId = 8501, Level = LogLevel.Warning, Message = "Email quarantined in inbox {InboxId}: {Reason}")]
    private partial void LogQuarantined(Guid inboxId, string reason);
}
