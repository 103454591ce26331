using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Channels.Email;

/// <summary>Configuration <c>Email:AutoReply</c>: at most <c>MaxPerSender</c> automatic emails to one address per <c>Window</c>.</summary>
public sealed class AutoReplyOptions
{
    public const string Section = "Email:AutoReply";

    public int MaxPerSender { get; set; } = 3;
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Counts automatic emails per recipient (per node): the brake on auto-reply loops that slip past RFC 3834 headers.</summary>
public sealed class AutoReplyLimiter(IOptions<AutoReplyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.OrdinalIgnoreCase);

    public bool TryAcquire(string address)
    {
        var now = time.GetUtcNow();
        var queue = _sent.GetOrAdd(address, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && queue.Peek() <= now - options.Value.Window)
            {
                queue.Dequeue();
            }

            if (queue.Count >= options.Value.MaxPerSender)
            {
                return false;
            }

            queue.Enqueue(now);
            return true;
        }
    }
}

/// <summary>
/// The acknowledgement of a new email conversation: inbox setting <c>acknowledgement</c> is the template ({name},
/// {number}, {subject}); sent after the conversation is committed, marked <c>Auto-Submitted: auto-replied</c>, never to
/// automatic senders (the caller checks) and rate-limited per address. A failure is logged, never retried.
/// </summary>
public sealed partial class EmailAcknowledger(IApplicationDbContext db, IConfiguration configuration, AutoReplyLimiter limiter, ILogger<EmailAcknowledger> logger)
{
    public async Task<bool> AcknowledgeAsync(Inbox inbox, ConversationId conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var template = EmailSettings.Get(inbox, EmailSettings.Acknowledgement);
        var from = EmailSettings.Get(inbox, EmailSettings.Address);
        var relay = SmtpRelay.For(inbox, configuration);
        if (template is null || from is null || relay is null)
        {
            return false;
        }

        var conversation = await db.Conversations.AsNoTracking().FirstAsync(c => c.Id == conversationId, cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
        var to = contact.Identities.FirstOrDefault(i => i.Kind == IdentityKind.Email)?.Value;
        var first = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.CreatedAt).Select(m => m.ExternalId).FirstOrDefaultAsync(cancellationToken);
        if (to is null || !limiter.TryAcquire(to))
        {
            LogSkipped(Application.Common.LogRedaction.Tag(to, "email"));
            return false;
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(EmailSettings.Get(inbox, EmailSettings.FromName) ?? inbox.Name, from));
        message.To.Add(new MailboxAddress(contact.Name, to));
        message.MessageId = MimeUtils.GenerateMessageId(from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        message.Subject = EmailSender.SubjectFor(conversation.Subject, conversation.Number);
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        if (first is not null && !first.StartsWith("sha256:", StringComparison.Ordinal))
        {
            message.InReplyTo = first;
            message.References.Add(first);
        }

        message.Body = new TextPart("plain")
        {
            Text = template.Replace("{name}", contact.Name, StringComparison.Ordinal)
                .Replace("{number}", conversation.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{subject}", conversation.Subject, StringComparison.Ordinal),
        };
        var outcome = await relay.SendAsync(message, cancellationToken);
        if (!outcome.Success)
        {
            LogFailed(Application.Common.LogRedaction.Tag(to, "email"), Application.Common.LogRedaction.Text(outcome.Error));
        }

        return outcome.Success;
    }

    [LoggerMessage(EventId = 8520, Level = LogLevel.Information, Message = "Acknowledgement to {Address} skipped (no address or rate limit reached)")]
    private partial void LogSkipped(string address);

    [LoggerMessage(EventId = 8521, Level = LogLevel.Warning, Message = "Acknowledgement to {Address} failed: {Error}")]
    private partial void LogFailed(string address, string error);
}
