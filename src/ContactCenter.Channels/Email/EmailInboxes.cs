using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Channels.Email;

/// <summary>
/// Inbox settings of the email channel. <c>address</c>: the mailbox address (the SMTP receiver's RCPT TO, the From of
/// replies); <c>fromName</c>; <c>imapHost</c>, <c>imapPort</c>, <c>imapUser</c>, <c>imapPasswordKey</c> (configuration key of
/// the password), <c>imapFolder</c>, <c>imapTls</c>; <c>smtpHost</c>, <c>smtpPort</c>, <c>smtpUser</c>, <c>smtpPasswordKey</c>,
/// <c>smtpTls</c> (else <c>Email:Outbound:*</c>); <c>acknowledgement</c>: the template of the acknowledgement email.
/// </summary>
public static class EmailSettings
{
    public const string Address = "address";
    public const string FromName = "fromName";
    public const string ImapHost = "imapHost";
    public const string ImapPort = "imapPort";
    public const string ImapUser = "imapUser";
    public const string ImapPasswordKey = "imapPasswordKey";
    public const string ImapFolder = "imapFolder";
    public const string ImapTls = "imapTls";
    public const string SmtpHost = "smtpHost";
    public const string SmtpPort = "smtpPort";
    public const string SmtpUser = "smtpUser";
    public const string SmtpPasswordKey = "smtpPasswordKey";
    public const string SmtpTls = "smtpTls";
    public const string Acknowledgement = "acknowledgement";

    public static string? Get(Inbox inbox, string key)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return inbox.Settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    /// <summary>The enabled email inbox whose <c>address</c> is the given one (case-insensitive), if any.</summary>
    public static async Task<Inbox?> FindByAddressAsync(IApplicationDbContext db, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => i.Channel == ChannelKind.Email && i.IsEnabled).ToListAsync(cancellationToken);
        return inboxes.FirstOrDefault(i => string.Equals(Get(i, Address), address.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
