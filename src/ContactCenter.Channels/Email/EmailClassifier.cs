using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Channels.Email;

public enum EmailKind
{
    /// <summary>Written by a person: filed, may be acknowledged.</summary>
    Personal = 0,

    /// <summary>RFC 3834 auto-submitted, bulk/list/junk precedence or an auto-responder: filed, never answered automatically.</summary>
    Automatic = 1,

    /// <summary>A non-delivery report about a message we sent: marks that message failed, opens nothing.</summary>
    Bounce = 2,
}

/// <summary>What a bounce says: the Message-IDs it may refer to (most specific first), whether delivery failed for good, and why.</summary>
public sealed record BounceReport(IReadOnlyList<string> OriginalMessageIds, bool Failed, string Diagnostic);

/// <summary>Loop and noise protection: tells people's mail from automatic mail and delivery reports (RFC 3834, RFC 3464).</summary>
public static class EmailClassifier
{
    private static readonly string[] AutomaticPrecedence = ["bulk", "list", "junk", "auto_reply"];

    public static EmailKind Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsDeliveryReport(message) || IsFromMailerDaemon(message))
        {
            return EmailKind.Bounce;
        }

        return IsAutomatic(message) ? EmailKind.Automatic : EmailKind.Personal;
    }

    public static bool IsAutomatic(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is MultipartReport)
        {
            // Read receipts (disposition-notification), abuse/feedback reports: machine-written, never answered.
            return true;
        }

        var headers = message.Headers;
        var autoSubmitted = headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var precedence = headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null && AutomaticPrecedence.Any(p => precedence.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Auto-Reply")
            || headers.Contains(HeaderId.ListId);
    }

    private static bool IsDeliveryReport(MimeMessage message) =>
        message.Body is MultipartReport { ReportType: { } type } && type.Equals("delivery-status", StringComparison.OrdinalIgnoreCase)
        || message.BodyParts.OfType<MessageDeliveryStatus>().Any();

    private static bool IsFromMailerDaemon(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart;
        return from is not null && (from.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || from.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            && !string.IsNullOrEmpty(message.Headers[HeaderId.AutoSubmitted] ?? message.InReplyTo ?? message.Subject);
    }

    /// <summary>Reads a delivery report: the original message (rfc822 part or headers), per-recipient action and diagnostic.</summary>
    public static BounceReport ReadBounce(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = new List<string>();
        foreach (var part in message.BodyParts.OfType<MessagePart>())
        {
            if (part.Message?.MessageId is { Length: > 0 } original)
            {
                ids.Add(original);
            }
        }

        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => p.ContentType.IsMimeType("text", "rfc822-headers")))
        {
            using var stream = new MemoryStream();
            part.Content?.DecodeTo(stream);
            stream.Position = 0;
            try
            {
                var headers = HeaderList.Load(stream);
                if (headers[HeaderId.MessageId] is { } id && MimeUtils.EnumerateReferences(id).FirstOrDefault() is { } parsed)
                {
                    ids.Add(parsed);
                }
            }
            catch (FormatException)
            {
                // Headers we cannot read: the bounce's own In-Reply-To may still name the original.
            }
        }

        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            ids.Add(inReplyTo);
        }

        ids.AddRange(message.References.Reverse());

        var failed = true;
        var diagnostics = new List<string>();
        foreach (var status in message.BodyParts.OfType<MessageDeliveryStatus>())
        {
            var recipients = status.StatusGroups.Skip(1).ToList();
            if (recipients.Count > 0 && recipients.All(g => !string.Equals(g["Action"]?.Trim(), "failed", StringComparison.OrdinalIgnoreCase)))
            {
                // Only "delayed", "delivered", "relayed" or "expanded": nothing failed (yet).
                failed = false;
            }

            foreach (var group in recipients)
            {
                var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
                var reason = group["Diagnostic-Code"] ?? group["Status"];
                diagnostics.Add(string.Join(": ", new[] { recipient?.Trim(), reason?.Trim() }.Where(s => !string.IsNullOrEmpty(s))));
            }
        }

        var diagnostic = string.Join("; ", diagnostics.Where(d => d.Length > 0));
        if (diagnostic.Length == 0)
        {
            diagnostic = (message.TextBody ?? message.Subject ?? "Undeliverable").Trim();
        }

        diagnostic = diagnostic.Length <= 500 ? diagnostic : diagnostic[..500];
        return new BounceReport(ids.Distinct(StringComparer.Ordinal).ToList(), failed, diagnostic);
    }
}
