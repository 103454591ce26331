using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Files;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactCenter.Channels.Email;

/// <summary>
/// Turns a parsed email into an <see cref="InboundMessage"/>. Text is the agent view (the new part of a reply, without
/// quoted history or signature); Html is the full HTML body (sanitised by the ingest handler); the full original is kept
/// as the first attachment, <c>original.eml</c>, and every attachment and inline <c>cid:</c> image is stored through
/// <see cref="IFileStorage"/> (its Content-ID kept so the HTML's cid: links can be resolved).
/// </summary>
public sealed partial class EmailNormaliser(IFileStorage storage, IOptions<AttachmentOptions> options)
{
    public const int MaxAttachments = 25;
    public const string OriginalFileName = "original.eml";

    private long MaxAttachmentBytes => Math.Max(1, options.Value.MaxUploadBytes);

    /// <summary>The sender's address in canonical form, or null when the message has no usable From/Sender.</summary>
    public static MailboxAddress? SenderOf(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mailbox = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        return mailbox is not null && mailbox.Address.Contains('@', StringComparison.Ordinal) && mailbox.Address.Length <= 254 ? mailbox : null;
    }

    /// <summary>Message-ID when usable (without angle brackets), else "sha256:" and the hash of the raw bytes, so retries still deduplicate.</summary>
    public static string ExternalIdOf(MimeMessage message, ReadOnlySpan<byte> raw)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.MessageId?.Trim();
        return !string.IsNullOrEmpty(id) && id.Length <= ReceiveInboundMessageHandler.MaxExternalIdLength
            ? id
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
    }

    /// <summary>The ticket number of a "[#1234]" token in the subject.</summary>
    public static long? TicketNumberOf(string? subject) =>
        subject is not null && TicketToken().Match(subject) is { Success: true } m && long.TryParse(m.Groups[1].ValueSpan, out var n) ? n : null;

    public static string TicketToken(long number) => $"[#{number}]";

    public async Task<InboundMessage> NormaliseAsync(InboxId inboxId, MimeMessage message, ReadOnlyMemory<byte> raw, ConversationId? thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = SenderOf(message) ?? throw new ArgumentException("The message has no sender.", nameof(message));
        var html = message.HtmlBody;
        var fullText = message.TextBody ?? (html is null ? "" : EmailText.FromHtml(html));
        var text = EmailText.StripReply(fullText);

        var attachments = new List<Attachment>
        {
            await StoreAsync(inboxId, OriginalFileName, "message/rfc822", null, raw, cancellationToken),
        };
        var omitted = new List<string>();
        foreach (var entity in AttachmentEntities(message))
        {
            var (fileName, type, contentId) = Describe(entity);
            using var buffer = new MemoryStream();
            if (entity is MimePart part)
            {
                if (part.Content is null)
                {
                    continue;
                }

                await part.Content.DecodeToAsync(buffer, cancellationToken);
            }
            else if (entity is MessagePart { Message: { } inner })
            {
                await inner.WriteToAsync(buffer, cancellationToken);
            }

            if (buffer.Length == 0)
            {
                continue;
            }

            if (buffer.Length > MaxAttachmentBytes || attachments.Count > MaxAttachments)
            {
                omitted.Add(fileName);
                continue;
            }

            attachments.Add(await StoreAsync(inboxId, fileName, type, contentId, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken));
        }

        if (omitted.Count > 0)
        {
            text += $"\n\n[Not stored (too large or too many): {string.Join(", ", omitted)}. They are in {OriginalFileName}.]";
        }

        if (text.Length > MessageContent.MaxTextLength)
        {
            text = text[..(MessageContent.MaxTextLength - 1)] + "…";
        }

        var address = ContactIdentity.Create(IdentityKind.Email, sender.Address);
        var name = string.IsNullOrWhiteSpace(sender.Name) ? null : sender.Name.Trim();
        var subject = string.IsNullOrWhiteSpace(message.Subject) ? null : message.Subject.Trim();
        return new InboundMessage(inboxId, address, name, ExternalIdOf(message, raw.Span), text, html, attachments, subject, thread);
    }

    /// <summary>Every part that is not the text or HTML body: attachments, inline images, attached messages.</summary>
    private static IEnumerable<MimeEntity> AttachmentEntities(MimeMessage message)
    {
        foreach (var entity in message.BodyParts)
        {
            if (entity is TextPart text && !text.IsAttachment && (text.IsPlain || text.IsHtml || text.IsFlowed || text.IsRichText))
            {
                continue;
            }

            if (entity is MessageDeliveryStatus or TextRfc822Headers)
            {
                continue;
            }

            yield return entity;
        }
    }

    private static (string Name, string Type, string? ContentId) Describe(MimeEntity entity)
    {
        var type = entity.ContentType.MimeType.ToLowerInvariant();
        var name = entity is MimePart part ? part.FileName : null;
        if (entity is MessagePart { Message: { } inner })
        {
            name ??= (string.IsNullOrWhiteSpace(inner.Subject) ? "message" : inner.Subject) + ".eml";
        }

        name = CleanName(name, type);
        return (name, type, string.IsNullOrWhiteSpace(entity.ContentId) ? null : entity.ContentId);
    }

    private static string CleanName(string? name, string type)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/')).Trim();
        var cleaned = new string(bare.Where(c => !char.IsControl(c) && c is not ('<' or '>' or '"' or '/' or '\\' or ':' or '|' or '?' or '*')).ToArray()).Trim();
        if (cleaned.Length == 0)
        {
            cleaned = (type.StartsWith("image/", StringComparison.Ordinal) ? "image" : "attachment") + (MimeTypes.TryGetExtension(type, out var ext) ? ext : "");
        }

        return cleaned.Length <= 120 ? cleaned : cleaned[..120];
    }

    private async Task<Attachment> StoreAsync(InboxId inboxId, string name, string type, string? contentId, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (!SafeExtension().IsMatch(extension))
        {
            extension = ".bin";
        }

        var key = $"e_{inboxId.Value:N}_{Guid.CreateVersion7():N}{extension}";
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        await storage.SaveAsync(key, stream, cancellationToken);
        return new Attachment(name, type, bytes.Length, key, contentId);
    }

    [GeneratedRegex(@"\[#(\d{1,18})\]")]
    private static partial Regex TicketToken();

    [GeneratedRegex(@"^\.[a-z0-9]{1,10}$")]
    private static partial Regex SafeExtension();
}
