using System.Collections.Concurrent;
using System.Globalization;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Email;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace ContactCenter.Channels.Email;

/// <summary>
/// Configuration <c>Email:Imap</c>: <c>PollInterval</c> (default 1 minute; 0 turns the Quartz trigger off), <c>BatchSize</c>
/// per inbox and run, and IMAP IDLE: <c>Idle</c> (default true), <c>IdleRefresh</c> (IDLE is re-issued this often, RFC 2177
/// asks for less than 29 minutes; default 9), <c>IdleDiscovery</c> (how often new or changed inboxes are picked up; default
/// 1 minute) and <c>IdleMaxBackoff</c> (the longest wait before reconnecting; default 5 minutes).
/// </summary>
public sealed class ImapOptions
{
    public const string Section = "Email:Imap";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; set; } = 200;
    public bool Idle { get; set; } = true;
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);
    public TimeSpan IdleDiscovery { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan IdleMaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>An open, authenticated IMAP connection with the inbox's folder selected read-only.</summary>
public sealed record ImapSession(ImapClient Client, IMailFolder Folder, string FolderName) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public sealed record ImapPollResult(int Fetched, int Filed, int Quarantined, int Duplicates);

/// <summary>
/// Imports new mail of one inbox's IMAP folder (read-only: nothing is flagged or deleted on the server). Each message is
/// filed (or quarantined) in its own transaction, then the cursor (UIDVALIDITY + last UID) moves past it: a crash in
/// between re-reads that message on the next run and its Message-ID drops it as a duplicate, so nothing is skipped and
/// nothing imported twice. A changed UIDVALIDITY rescans the folder (duplicates again dropped by Message-ID).
/// </summary>
public sealed partial class ImapPoller(IServiceScopeFactory scopes, IConfiguration configuration, IOptions<ImapOptions> options, TimeProvider time, ILogger<ImapPoller> logger)
{
    private readonly ConcurrentDictionary<InboxId, SemaphoreSlim> _gates = new();

    /// <summary>Mail that arrived in the mailbox longer ago than this is filed but not acknowledged.</summary>
    public static readonly TimeSpan AcknowledgeWithin = TimeSpan.FromHours(1);

    public static bool IsConfigured(Inbox inbox) => inbox.Channel == ChannelKind.Email && inbox.IsEnabled && EmailSettings.Get(inbox, EmailSettings.ImapHost) is not null;

    /// <summary>Polls every enabled email inbox with IMAP settings; one inbox failing does not stop the others.</summary>
    public async Task PollAllAsync(CancellationToken cancellationToken)
    {
        List<Inbox> inboxes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            inboxes = (await db.Inboxes.AsNoTracking().Where(i => i.Channel == ChannelKind.Email && i.IsEnabled).ToListAsync(cancellationToken))
                .Where(IsConfigured).ToList();
        }

        foreach (var inbox in inboxes)
        {
            try
            {
                await PollAsync(inbox, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(inbox.Id.Value, ex);
            }
        }
    }

    /// <summary>
    /// Imports the inbox's new mail. Runs of one inbox are serialised in this process (the Quartz poll and the IDLE
    /// listener may both ask at once); across nodes the cursor and the unique Message.ExternalId keep it exactly once.
    /// </summary>
    public async Task<ImapPollResult> PollAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var gate = _gates.GetOrAdd(inbox.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ImportAsync(inbox, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Connects, authenticates and opens the inbox's folder read-only.</summary>
    public async Task<ImapSession> ConnectAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var host = EmailSettings.Get(inbox, EmailSettings.ImapHost) ?? throw new InvalidOperationException("The inbox has no imapHost setting.");
        var port = int.TryParse(EmailSettings.Get(inbox, EmailSettings.ImapPort), CultureInfo.InvariantCulture, out var p) ? p : 993;
        var security = (EmailSettings.Get(inbox, EmailSettings.ImapTls) ?? "auto").ToLowerInvariant() switch
        {
            "none" or "false" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" or "true" or "implicit" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        var passwordKey = EmailSettings.Get(inbox, EmailSettings.ImapPasswordKey);
        var password = passwordKey is null ? "" : configuration[passwordKey] ?? "";
        var folderName = EmailSettings.Get(inbox, EmailSettings.ImapFolder) ?? "INBOX";

        var client = new ImapClient { Timeout = 60_000 };
        try
        {
            await client.ConnectAsync(host, port, security, cancellationToken);
            await client.AuthenticateAsync(EmailSettings.Get(inbox, EmailSettings.ImapUser) ?? "", password, cancellationToken);
            var folder = folderName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(folderName, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            return new ImapSession(client, folder, folderName);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<ImapPollResult> ImportAsync(Inbox inbox, CancellationToken cancellationToken)
    {
        using var session = await ConnectAsync(inbox, cancellationToken);
        var (client, folder, folderName) = (session.Client, session.Folder, session.FolderName);
        var cursor = await LoadCursorAsync(inbox.Id, folderName, folder.UidValidity, cancellationToken);

        var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)Math.Min(cursor + 1, uint.MaxValue)), UniqueId.MaxValue)), cancellationToken))
            .Where(u => u.Id > cursor)
            .OrderBy(u => u.Id)
            .Take(Math.Max(1, options.Value.BatchSize))
            .ToList();

        // Only mail that reached the mailbox recently is acknowledged: the first import of a mailbox (or a rescan
        // after UIDVALIDITY changed) must not send a wave of automatic replies to old senders.
        var arrived = uids.Count == 0 ? new Dictionary<UniqueId, DateTimeOffset?>() :
            (await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, cancellationToken))
                .ToDictionary(m => m.UniqueId, m => m.InternalDate);
        var recentSince = time.GetUtcNow() - AcknowledgeWithin;

        int filed = 0, quarantined = 0, duplicates = 0;
        foreach (var uid in uids)
        {
            byte[] raw;
            try
            {
                await using var stream = await folder.GetStreamAsync(uid, cancellationToken);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                raw = buffer.ToArray();
            }
            catch (ImapCommandException ex)
            {
                // The server cannot give us this one message: keep a record and move on.
                raw = System.Text.Encoding.UTF8.GetBytes($"X-Imap-Fetch-Error: UID {uid.Id}: {ex.Message}\r\n\r\n");
            }

            await using (var scope = scopes.CreateAsyncScope())
            {
                var outcome = await scope.ServiceProvider.GetRequiredService<EmailIngest>().IngestAsync(inbox.Id, raw, "imap", cancellationToken);
                switch (outcome.Kind)
                {
                    case EmailOutcomeKind.Quarantined:
                        quarantined++;
                        break;
                    case EmailOutcomeKind.Duplicate:
                        duplicates++;
                        break;
                    default:
                        filed++;
                        break;
                }

                if (arrived.GetValueOrDefault(uid) > recentSince && outcome is { Kind: EmailOutcomeKind.Filed, NewConversation: true, Classification: EmailKind.Personal })
                {
                    await scope.ServiceProvider.GetRequiredService<EmailAcknowledger>().AcknowledgeAsync(inbox, outcome.ConversationId!.Value, cancellationToken);
                }
            }

            await AdvanceCursorAsync(inbox.Id, uid.Id, cancellationToken);
        }

        await client.DisconnectAsync(true, cancellationToken);
        var result = new ImapPollResult(uids.Count, filed, quarantined, duplicates);
        if (uids.Count > 0)
        {
            LogPolled(inbox.Id.Value, result.ToString());
        }

        return result;
    }

    private async Task<long> LoadCursorAsync(InboxId inboxId, string folder, uint uidValidity, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var email = scope.ServiceProvider.GetRequiredService<IEmailDbContext>();
        var cursor = await email.ImapCursors.FirstOrDefaultAsync(c => c.InboxId == inboxId, cancellationToken);
        if (cursor is null)
        {
            email.ImapCursors.Add(ImapCursor.Start(inboxId, folder, uidValidity, time.GetUtcNow()));
        }
        else if (cursor.UidValidity != uidValidity || !string.Equals(cursor.Folder, folder, StringComparison.Ordinal))
        {
            LogUidValidityChanged(inboxId.Value, cursor.UidValidity, uidValidity);
            cursor.Reset(uidValidity, time.GetUtcNow());
        }
        else
        {
            return cursor.LastUid;
        }

        await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(cancellationToken);
        return 0;
    }

    private async Task AdvanceCursorAsync(InboxId inboxId, uint uid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var cursor = await scope.ServiceProvider.GetRequiredService<IEmailDbContext>().ImapCursors.FirstAsync(c => c.InboxId == inboxId, cancellationToken);
        cursor.Advance(uid, time.GetUtcNow());
        await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 8530, Level = LogLevel.Warning, Message = "IMAP poll of inbox {InboxId} failed; retried on the next run")]
    private partial void LogPollFailed(Guid inboxId, Exception exception);

    [LoggerMessage(EventId = 8531, Level = LogLevel.Information, Message = "IMAP poll of inbox {InboxId}: {Result}")]
    private partial void LogPolled(Guid inboxId, string result);

    [LoggerMessage(EventId = 8532, Level = LogLevel.Warning, Message = "IMAP UIDVALIDITY of inbox {InboxId} changed from {Old} to {New}: rescanning")]
    private partial void LogUidValidityChanged(Guid inboxId, long old, uint @new);
}

/// <summary>The Quartz job that polls every IMAP inbox (Email:Imap:PollInterval); never two runs at once.</summary>
[DisallowConcurrentExecution]
public sealed class ImapPollJob(ImapPoller poller) : IJob
{
    public static readonly JobKey Key = new("imap-poll", "email");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await poller.PollAllAsync(cancellationToken).ConfigureAwait(false);
}
