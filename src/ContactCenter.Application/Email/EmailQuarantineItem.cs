using ContactCenter.Domain.Common;

namespace ContactCenter.Application.Email;

public enum QuarantineStatus
{
    Held = 0,
    Reprocessed = 1,
}

/// <summary>
/// An email that could not be filed (unparseable, no sender, an unmatched bounce, rejected by validation). The raw .eml
/// is kept in file storage under <see cref="RawKey"/> so an admin can inspect it and re-process it once the cause is fixed.
/// </summary>
public sealed class EmailQuarantineItem
{
    public const int MaxReasonLength = 1000;

    private EmailQuarantineItem() { }

    public Guid Id { get; private set; }
    public InboxId InboxId { get; private set; }

    /// <summary>"smtp" or "imap".</summary>
    public string Source { get; private set; } = "";

    public string Reason { get; private set; } = "";
    public string RawKey { get; private set; } = "";

    /// <summary>SHA-256 (hex) of the raw bytes: the same email read again (a poller restart, an SMTP retry) is held once.</summary>
    public string RawSha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public string? Subject { get; private set; }
    public string? From { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public QuarantineStatus Status { get; private set; }
    public DateTimeOffset? ReprocessedAt { get; private set; }

    public static EmailQuarantineItem Hold(InboxId inboxId, string source, string reason, string rawKey, string rawSha256, long sizeBytes, string? subject, string? from, DateTimeOffset now) => new()
    {
        RawSha256 = rawSha256,
        Id = Guid.CreateVersion7(now),
        InboxId = inboxId,
        Source = source,
        Reason = Clip(reason, MaxReasonLength),
        RawKey = rawKey,
        SizeBytes = sizeBytes,
        Subject = subject is null ? null : Clip(subject, 300),
        From = from is null ? null : Clip(from, 300),
        ReceivedAt = now,
        Status = QuarantineStatus.Held,
    };

    public void MarkReprocessed(DateTimeOffset now)
    {
        Status = QuarantineStatus.Reprocessed;
        ReprocessedAt = now;
    }

    /// <summary>A further attempt failed again: the latest reason is shown.</summary>
    public void StillFailing(string reason) => Reason = Clip(reason, MaxReasonLength);

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>
/// How far the IMAP poller of one inbox got: UIDs are only meaningful within one UIDVALIDITY, so a changed UIDVALIDITY
/// restarts from the beginning (duplicates are then dropped by Message-ID).
/// </summary>
public sealed class ImapCursor
{
    private ImapCursor() { }

    public InboxId InboxId { get; private set; }
    public string Folder { get; private set; } = "INBOX";
    public long UidValidity { get; private set; }
    public long LastUid { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static ImapCursor Start(InboxId inboxId, string folder, long uidValidity, DateTimeOffset now) =>
        new() { InboxId = inboxId, Folder = folder, UidValidity = uidValidity, LastUid = 0, UpdatedAt = now };

    /// <summary>The folder was recreated (new UIDVALIDITY): every message is looked at again.</summary>
    public void Reset(long uidValidity, DateTimeOffset now)
    {
        UidValidity = uidValidity;
        LastUid = 0;
        UpdatedAt = now;
    }

    public void Advance(long uid, DateTimeOffset now)
    {
        if (uid > LastUid)
        {
            LastUid = uid;
            UpdatedAt = now;
        }
    }
}
