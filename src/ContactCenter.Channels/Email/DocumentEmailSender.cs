using ContactCenter.Application.Outbound;
using Microsoft.Extensions.Configuration;
using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Channels.Email;

/// <summary>
/// Emails that are not replies (chat transcripts) from an email inbox's address and relay: text/plain only, so nothing a
/// customer or agent wrote can be rendered as HTML by the mail client; marked auto-generated against auto-reply loops.
/// </summary>
public sealed class DocumentEmailSender(IConfiguration configuration) : IDocumentEmailSender
{
    public async Task<SendOutcome> SendAsync(DocumentEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (SmtpRelay.Outgoing(email.FromInbox, configuration) is not { } outgoing)
        {
            return SmtpRelay.NotConfigured;
        }

        var (relay, from) = outgoing;

        if (!MailboxAddress.TryParse(email.To, out var to))
        {
            return SendOutcome.Failed($"'{email.To}' is not an email address.", permanent: true);
        }

        if (!string.IsNullOrWhiteSpace(email.ToName))
        {
            to.Name = email.ToName;
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(EmailSettings.Get(email.FromInbox, EmailSettings.FromName) ?? email.FromInbox.Name, from));
        message.To.Add(to);
        message.MessageId = MimeUtils.GenerateMessageId(from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        message.Subject = email.Subject;
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        message.Body = new TextPart("plain") { Text = email.Text };
        return await relay.SendAsync(message, cancellationToken);
    }
}
