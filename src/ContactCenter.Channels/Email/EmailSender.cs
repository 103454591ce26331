using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Channels.Email;

/// <summary>The SMTP relay replies leave through: inbox settings <c>smtp*</c>, else configuration <c>Email:Outbound</c> (Host, Port, User, PasswordKey, Tls).</summary>
public sealed record SmtpRelay(string Host, int Port, string? User, string? Password, SecureSocketOptions Security)
{
    public static SmtpRelay? For(Inbox inbox, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Email:Outbound");
        var host = EmailSettings.Get(inbox, EmailSettings.SmtpHost) ?? section["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var port = int.TryParse(EmailSettings.Get(inbox, EmailSettings.SmtpPort) ?? section["Port"], CultureInfo.InvariantCulture, out var p) ? p : 25;
        var user = EmailSettings.Get(inbox, EmailSettings.SmtpUser) ?? section["User"];
        var passwordKey = EmailSettings.Get(inbox, EmailSettings.SmtpPasswordKey) ?? section["PasswordKey"];
        var password = string.IsNullOrWhiteSpace(passwordKey) ? null : configuration[passwordKey];
        var tls = (EmailSettings.Get(inbox, EmailSettings.SmtpTls) ?? section["Tls"] ?? "auto").ToLowerInvariant() switch
        {
            "none" or "false" => SecureSocketOptions.None,
            "ssl" or "implicit" => SecureSocketOptions.SslOnConnect,
            "starttls" or "true" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.Auto,
        };
        return new SmtpRelay(host, port, user, password, tls);
    }

    /// <summary>The inbox's relay and From address, or null when either is missing (<see cref="NotConfigured"/>).</summary>
    public static (SmtpRelay Relay, string From)? Outgoing(Inbox inbox, IConfiguration configuration) =>
        For(inbox, configuration) is { } relay && EmailSettings.Get(inbox, EmailSettings.Address) is { } from ? (relay, from) : null;

    public static SendOutcome NotConfigured { get; } =
        SendOutcome.Failed("The inbox has no outgoing mail server or address (settings smtpHost/address or Email:Outbound:Host).", permanent: true);

    /// <summary>Sends one message; provider failures become outcomes (5xx permanent, everything else retried).</summary>
    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(Host, Port, Security, cancellationToken);
            if (!string.IsNullOrEmpty(User))
            {
                await client.AuthenticateAsync(User, Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return SendOutcome.Sent(message.MessageId);
        }
        catch (SmtpCommandException ex)
        {
            return SendOutcome.Failed($"SMTP {(int)ex.StatusCode}: {ex.Message}", permanent: (int)ex.StatusCode >= 500);
        }
        catch (AuthenticationException ex)
        {
            return SendOutcome.Failed($"SMTP authentication failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or SocketException or IOException or ServiceNotConnectedException or SslHandshakeException or TimeoutException)
        {
            return SendOutcome.Failed($"SMTP relay {Host}:{Port} unavailable: {ex.Message}");
        }
    }
}

/// <summary>
/// Agent replies by email: a fresh Message-ID (returned as the provider id, so replies and bounces find the message),
/// In-Reply-To/References from the thread, the [#1234] token in the subject, the agent's signature, the previous
/// customer message quoted, and the reply's attachments.
/// </summary>
public sealed class EmailSender(IConfiguration configuration, IFileStorage storage) : IChannelSender
{
    public const int MaxReferences = 20;

    public ChannelKind Channel => ChannelKind.Email;

    public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (SmtpRelay.Outgoing(delivery.Inbox, configuration) is not { } outgoing)
        {
            return SmtpRelay.NotConfigured;
        }

        var (relay, from) = outgoing;

        var message = await ComposeAsync(delivery, from, cancellationToken);
        if (message is null)
        {
            return SendOutcome.Failed("An attachment of the reply is no longer stored.", permanent: true);
        }

        return await relay.SendAsync(message, cancellationToken);
    }

    public async Task<MimeMessage?> ComposeAsync(OutboundDelivery delivery, string fromAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var conversation = delivery.Conversation;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(EmailSettings.Get(delivery.Inbox, EmailSettings.FromName) ?? delivery.Inbox.Name, fromAddress));
        message.To.Add(new MailboxAddress(delivery.Contact.Name, delivery.Recipient.Value));
        message.MessageId = MimeUtils.GenerateMessageId(fromAddress[(fromAddress.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        message.Date = delivery.Message.CreatedAt;
        message.Subject = SubjectFor(conversation.Subject, conversation.Number);

        var ids = ThreadIds(delivery);
        if (ids.Count > 0)
        {
            message.InReplyTo = ids[^1];
            foreach (var id in ids.TakeLast(MaxReferences))
            {
                message.References.Add(id);
            }
        }

        var quoted = delivery.Thread.LastOrDefault(m => m.Direction == MessageDirection.Inbound && !m.IsPrivate);
        var body = new BodyBuilder { TextBody = TextBody(delivery.Message.Text, delivery.AgentSignature, quoted), HtmlBody = HtmlBody(delivery.Message.Text, delivery.AgentSignature, quoted) };
        foreach (var attachment in delivery.Message.Attachments)
        {
            await using var stream = await storage.OpenReadAsync(attachment.StorageKey, cancellationToken);
            if (stream is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            body.Attachments.Add(attachment.FileName, copy.ToArray(), ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>"Re: subject [#1234]": the token is what threads a reply whose headers were lost.</summary>
    public static string SubjectFor(string? subject, long number)
    {
        var s = string.IsNullOrWhiteSpace(subject) ? "Your request" : subject.Trim();
        if (!s.StartsWith("Re:", StringComparison.OrdinalIgnoreCase))
        {
            s = "Re: " + s;
        }

        var token = EmailNormaliser.TicketToken(number);
        return s.Contains(token, StringComparison.Ordinal) ? s : $"{s} {token}";
    }

    /// <summary>The Message-IDs of the thread, oldest first: received ones (ExternalId) and ours (the provider ids).</summary>
    private static List<string> ThreadIds(OutboundDelivery delivery)
    {
        var ids = new List<string>();
        foreach (var m in delivery.Thread.Where(m => !m.IsPrivate && m.Id != delivery.Message.Id))
        {
            var id = m.Direction == MessageDirection.Inbound ? m.ExternalId : delivery.ProviderIds.GetValueOrDefault(m.Id);
            if (!string.IsNullOrEmpty(id) && !id.StartsWith("sha256:", StringComparison.Ordinal) && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static string TextBody(string text, string? signature, Message? quoted)
    {
        var sb = new StringBuilder(text.TrimEnd()).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(signature))
        {
            sb.Append("-- \n").Append(signature.Trim()).Append("\n\n");
        }

        if (quoted is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"On {quoted.CreatedAt:ddd, d MMM yyyy HH:mm} UTC, {quoted.AuthorName} wrote:\n");
            foreach (var line in quoted.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                sb.Append("> ").Append(line).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string HtmlBody(string text, string? signature, Message? quoted)
    {
        static string Encode(string s) => WebUtility.HtmlEncode(s).Replace("\n", "<br>", StringComparison.Ordinal);
        var sb = new StringBuilder("<div>").Append(Encode(text.TrimEnd())).Append("</div>");
        if (!string.IsNullOrWhiteSpace(signature))
        {
            sb.Append("<div class=\"signature\">-- <br>").Append(Encode(signature.Trim())).Append("</div>");
        }

        if (quoted is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<div>On {quoted.CreatedAt:ddd, d MMM yyyy HH:mm} UTC, {WebUtility.HtmlEncode(quoted.AuthorName)} wrote:</div>")
                .Append("<blockquote type=\"cite\">").Append(Encode(quoted.Text)).Append("</blockquote>");
        }

        return sb.ToString();
    }
}
