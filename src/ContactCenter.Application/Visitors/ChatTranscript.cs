using System.Globalization;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Visitors;

/// <summary>The web chat customer asks for their chat's transcript by email (the latest chat when no id is given).</summary>
public sealed record RequestTranscript(ContactId ContactId, InboxId InboxId, Guid? ConversationId, string? Email, string? Locale);

public sealed record TranscriptRequestResult(Guid ConversationId, string Email);

/// <summary>
/// Queues the transcript of one of the visitor's own chats as a plain-text email in the outbox (sent from the widget's
/// email inbox, retried like replies), with a private note telling the agents. Another visitor's chat is "not found";
/// at most <see cref="WidgetFormOptions.TranscriptsPerHour"/> per visitor.
/// </summary>
public sealed class RequestTranscriptHandler(
    IApplicationDbContext db,
    IOutboxDbContext outbox,
    WidgetAvailabilityQuery availability,
    OutboxSignal signal,
    IOptions<WidgetFormOptions> options,
    TimeProvider time)
{
    public async Task<Result<TranscriptRequestResult>> HandleAsync(RequestTranscript command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (EmailAddresses.Normalize(command.Email) is not { } email)
        {
            return Error.Validation("transcript.email", "Please enter a valid email address for the transcript.");
        }

        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == command.InboxId && i.IsEnabled, cancellationToken);
        var emailInbox = inbox is null ? null : await availability.EmailInboxAsync(inbox, cancellationToken);
        if (inbox is null || emailInbox is null)
        {
            return Error.NotFound("An email inbox for transcripts");
        }

        var mine = db.Conversations.Where(c => c.ContactId == command.ContactId && c.InboxId == command.InboxId);
        var since = time.GetUtcNow().AddHours(-1);
        var recent = await outbox.Outbox.AsNoTracking()
            .CountAsync(o => o.Purpose == OutboxPurpose.Transcript && mine.Select(c => c.Id).Contains(o.ConversationId) && o.CreatedAt >= since, cancellationToken);
        if (recent >= Math.Max(1, options.Value.TranscriptsPerHour))
        {
            return new Error("rate_limited", "You have asked for several transcripts already; please wait a while before asking again.");
        }

        for (var attempt = 0; ; attempt++)
        {
            var conversation = command.ConversationId is { } id
                ? await mine.FirstOrDefaultAsync(c => c.Id == new ConversationId(id), cancellationToken)
                : await mine.OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (conversation is null)
            {
                return Error.NotFound("The chat");
            }

            var messages = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && !m.IsPrivate)
                .OrderBy(m => m.CreatedAt)
                .ToListAsync(cancellationToken);
            if (messages.Count == 0)
            {
                return Error.Validation("transcript.empty", "This chat has no messages yet.");
            }

            var now = time.GetUtcNow();
            var texts = TranscriptTexts.For(command.Locale);
            var note = conversation.AddSystemNote("ContactCenter", $"The customer asked for the transcript of this chat by email ({email}).", now);
            if (!note.IsSuccess)
            {
                return note.Error!;
            }

            var subject = string.Format(CultureInfo.InvariantCulture, texts.Subject, inbox.Name, conversation.Number);
            outbox.Outbox.Add(OutboxItem.ForTranscript(note.Value.Id, conversation.Id, emailInbox.Id, email, subject, Render(texts, inbox.Name, conversation, messages), now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                signal.Wake();
                return new TranscriptRequestResult(conversation.Id.Value, email);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // An agent changed the conversation meanwhile: take it again.
                db.DiscardChanges();
            }
        }
    }

    /// <summary>Plain text only: what anyone wrote stays text (nothing in it is ever interpreted as HTML).</summary>
    private static string Render(TranscriptTexts texts, string inboxName, Conversation conversation, IReadOnlyList<Message> messages)
    {
        var sb = new StringBuilder();
        sb.Append(texts.Heading).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"{inboxName} · #{conversation.Number} · {Time(conversation.CreatedAt)}\n")
            .Append(new string('-', 40)).Append('\n');
        foreach (var message in messages)
        {
            var author = string.IsNullOrWhiteSpace(message.AuthorName) ? texts.Someone : message.AuthorName.Trim();
            sb.Append('\n').Append(CultureInfo.InvariantCulture, $"[{Time(message.CreatedAt)}] {author}:\n");
            if (!string.IsNullOrWhiteSpace(message.Text))
            {
                sb.Append(message.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd()).Append('\n');
            }

            foreach (var attachment in message.Attachments)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  [{texts.Attachment}: {attachment.FileName}]\n");
            }
        }

        return sb.Append('\n').Append(new string('-', 40)).Append('\n').Append(texts.Footer).Append('\n').ToString();
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private sealed record TranscriptTexts(string Subject, string Heading, string Someone, string Attachment, string Footer)
    {
        private static readonly TranscriptTexts English = new(
            "Your chat transcript – {0} (#{1})", "Transcript of your chat", "Someone", "Attachment",
            "You asked for this transcript in the chat on our website. Reply to this email if you need anything else.");

        private static readonly TranscriptTexts Chinese = new(
            "您的聊天记录 – {0}（#{1}）", "您的聊天记录", "对方", "附件",
            "这是您在我们网站的在线聊天中申请的聊天记录。如需进一步帮助，请直接回复此邮件。");

        public static TranscriptTexts For(string? locale) =>
            locale is not null && locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;
    }
}
