using System.Globalization;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Email;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

public sealed class ImapPollerTests
{
    private const string PasswordKey = "Email:Secrets:TestImap";

    [Fact]
    public async Task PollAsync_RestartInTheMiddleOfABatch_NothingLostNothingTwice()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?> { ["Email:Imap:PollInterval"] = "00:00:00", ["Email:Imap:Idle"] = "false", ["Email:Imap:BatchSize"] = "3", [PasswordKey] = DovecotServer.Password };
        try
        {
            var first = EmailTestHost.Mail("Ivy <ivy@customer.test>", "support@x.test", "Invoice wrong", "The invoice is wrong.");
            var reply = EmailTestHost.Mail("ivy@customer.test", "support@x.test", "Re: Invoice wrong", "Any update?");
            reply.InReplyTo = first.MessageId;
            var noSender = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes("Subject: nobody\r\nMessage-ID: <nobody@x>\r\n\r\nhi\r\n")));
            var other = EmailTestHost.Mail("jack@customer.test", "support@x.test", "Hello", "Question from Jack.");
            var third = EmailTestHost.Mail("ivy@customer.test", "support@x.test", "Re: Invoice wrong", "Hello??");
            third.References.Add(first.MessageId!);
            await AppendAsync(dovecot, first, reply, noSender, other, third);

            Inbox inbox;
            await using (var app = await EmailTestHost.StartAsync(settings, data))
            {
                inbox = await CreateImapInboxAsync(app, dovecot);
                var poller = app.Host.Services.GetRequiredService<ImapPoller>();
                var batch = await poller.PollAsync(inbox, CancellationToken.None).Within("first poll");
                Assert.Equal(3, batch.Fetched);

                // A crash after the third message was committed but before the cursor moved past it.
                await app.Host.InScopeAsync(async sp =>
                {
                    var cursor = await sp.GetRequiredService<IEmailDbContext>().ImapCursors.SingleAsync(c => c.InboxId == inbox.Id);
                    Assert.Equal(3, cursor.LastUid);
                    await sp.GetRequiredService<IEmailDbContext>().ImapCursors.Where(c => c.InboxId == inbox.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.LastUid, 2));
                });
            }

            await using (var app = await EmailTestHost.StartAsync(settings, data))
            {
                var poller = app.Host.Services.GetRequiredService<ImapPoller>();
                var resumed = await poller.PollAsync(inbox, CancellationToken.None).Within("poll after restart");
                var idle = await poller.PollAsync(inbox, CancellationToken.None).Within("poll with nothing new");

                Assert.Equal(new ImapPollResult(3, 2, 0, 1), resumed);
                Assert.Equal(0, idle.Fetched);
                var conversations = await app.ConversationsAsync(inbox);
                Assert.Equal(2, conversations.Count);
                var ivy = conversations.Single(c => c.Subject == "Invoice wrong");
                Assert.Equal(["The invoice is wrong.", "Any update?", "Hello??"], (await app.MessagesAsync(ivy.Id)).Select(m => m.Text).ToArray());
                var quarantined = await app.Host.InScopeAsync(sp => sp.GetRequiredService<IEmailDbContext>().EmailQuarantine.AsNoTracking().Where(q => q.InboxId == inbox.Id).ToListAsync());
                Assert.Equal("imap", Assert.Single(quarantined).Source);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task ImapPollJob_ScheduledByQuartz_ImportsNewMail()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await using var app = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Email:Imap:PollInterval"] = "00:00:01", ["Email:Imap:Idle"] = "false", [PasswordKey] = DovecotServer.Password });
        var inbox = await CreateImapInboxAsync(app, dovecot, new Dictionary<string, string> { [EmailSettings.Acknowledgement] = "Got it: #{number}" });

        await AppendAsync(dovecot, DateTimeOffset.UtcNow.AddDays(-2), EmailTestHost.Mail("old@customer.test", "support@x.test", "Old", "From last week."));
        await AppendAsync(dovecot, EmailTestHost.Mail("kim@customer.test", "support@x.test", "Scheduled", "Found by the job."));

        await Waits.UntilAsync(async () => (await app.ConversationsAsync(inbox)).Count == 2, "the IMAP job to import the messages");
        await Waits.UntilAsync(() => Task.FromResult(app.Sink.Received.Any(m => m.To.Mailboxes.Any(a => a.Address == "kim@customer.test"))), "the acknowledgement of the new mail");
        Assert.DoesNotContain(app.Sink.Received, m => m.To.Mailboxes.Any(a => a.Address == "old@customer.test"));
    }

    [Fact]
    public async Task TwoNodes_PollJobAndIdleOnBoth_EachMailImportedAndAcknowledgedOnce()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?> { ["Email:Imap:PollInterval"] = "00:00:01", ["Email:Imap:Idle"] = "true", ["Email:Imap:IdleDiscovery"] = "00:00:01", [PasswordKey] = DovecotServer.Password };
        try
        {
            await using var nodeA = await EmailTestHost.StartAsync(settings, data);
            await using var nodeB = await EmailTestHost.StartAsync(settings, data);
            var inbox = await CreateImapInboxAsync(nodeA, dovecot, new Dictionary<string, string> { [EmailSettings.Acknowledgement] = "Got it: #{number}" });
            var senders = Enumerable.Range(1, 6).Select(i => $"n{i}@customer.test").ToList();
            foreach (var sender in senders)
            {
                await AppendAsync(dovecot, EmailTestHost.Mail(sender, "support@x.test", $"From {sender}", "Both nodes see this mailbox."));
            }

            await Waits.UntilAsync(async () => (await nodeA.ConversationsAsync(inbox)).Count == senders.Count, "both nodes' jobs and IDLE listeners to import the mail");
            await Waits.UntilAsync(
                () => Task.FromResult(senders.All(s => nodeA.Sink.Received.Concat(nodeB.Sink.Received).Any(m => m.To.Mailboxes.Any(a => a.Address == s)))),
                "an acknowledgement to every sender");

            // Several more runs on both nodes change nothing: one conversation, one message and one acknowledgement per mail.
            await nodeA.Host.Services.GetRequiredService<ImapPoller>().PollAllAsync(CancellationToken.None).Within("another poll on node A");
            await nodeB.Host.Services.GetRequiredService<ImapPoller>().PollAllAsync(CancellationToken.None).Within("another poll on node B");
            var conversations = await nodeB.ConversationsAsync(inbox);
            Assert.Equal(senders.Count, conversations.Count);
            foreach (var conversation in conversations)
            {
                Assert.Single(await nodeB.MessagesAsync(conversation.Id));
            }

            foreach (var sender in senders)
            {
                Assert.Single(nodeA.Sink.Received.Concat(nodeB.Sink.Received), m => m.To.Mailboxes.Any(a => a.Address == sender));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task PollAsync_TwoConcurrentRunsOfOneInbox_EachMessageImportedOnce()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await using var app = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Email:Imap:PollInterval"] = "00:00:00", ["Email:Imap:Idle"] = "false", [PasswordKey] = DovecotServer.Password });
        var inbox = await CreateImapInboxAsync(app, dovecot);
        await AppendAsync(dovecot, EmailTestHost.Mail("a@customer.test", "support@x.test", "A", "One."), EmailTestHost.Mail("b@customer.test", "support@x.test", "B", "Two."), EmailTestHost.Mail("c@customer.test", "support@x.test", "C", "Three."));
        var poller = app.Host.Services.GetRequiredService<ImapPoller>();

        var runs = await Task.WhenAll(poller.PollAsync(inbox, CancellationToken.None), poller.PollAsync(inbox, CancellationToken.None)).Within("two concurrent polls");

        // Serialised: one run fetches the three, the other finds nothing new (no duplicate work, nothing twice).
        Assert.Equal([0, 3], runs.Select(r => r.Fetched).Order());
        Assert.Equal(3, runs.Sum(r => r.Filed));
        Assert.Equal(0, runs.Sum(r => r.Duplicates));
        Assert.Equal(3, (await app.ConversationsAsync(inbox)).Count);
    }

    [Fact]
    public async Task ImapIdleListener_NewMailWhileIdling_ImportedWithoutAPoll_AndStopsWithTheHost()
    {
        await using var dovecot = await DovecotServer.StartAsync();

        // No Quartz trigger at all: only IDLE can explain the import.
        var app = await EmailTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Email:Imap:PollInterval"] = "00:00:00",
            ["Email:Imap:IdleDiscovery"] = "00:00:00.200",
            [PasswordKey] = DovecotServer.Password,
        });
        await using (app)
        {
            var inbox = await CreateImapInboxAsync(app, dovecot);
            var listener = app.Host.Services.GetRequiredService<ImapIdleListener>();
            await Waits.UntilAsync(() => Task.FromResult(listener.IsIdling(inbox.Id)), "the inbox's connection to enter IDLE");

            await AppendAsync(dovecot, EmailTestHost.Mail("lea@customer.test", "support@x.test", "Pushed", "Arrived while idling."));

            await Waits.UntilAsync(async () => (await app.ConversationsAsync(inbox)).Count == 1, "the IDLE listener to import the new mail", TimeSpan.FromSeconds(10));
            await Waits.UntilAsync(() => Task.FromResult(listener.IsIdling(inbox.Id)), "the connection to IDLE again after the import");
            await AppendAsync(dovecot, EmailTestHost.Mail("lea@customer.test", "support@x.test", "Again", "Second push."));
            await Waits.UntilAsync(async () => (await app.ConversationsAsync(inbox)).Count == 2, "the second announced mail", TimeSpan.FromSeconds(10));

            await app.Host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().StopAsync().Within("stopping the host");
            Assert.Equal(0, listener.RunningLoops);
            Assert.False(listener.IsIdling(inbox.Id));
            Assert.True(listener.ExecuteTask!.IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task ImapIdleListener_ConnectionDropped_ReconnectsAndImportsWhatCameMeanwhile()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await using var app = await EmailTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Email:Imap:PollInterval"] = "00:00:00",
            ["Email:Imap:IdleDiscovery"] = "00:00:00.200",
            [PasswordKey] = DovecotServer.Password,
        });
        var inbox = await CreateImapInboxAsync(app, dovecot);
        var listener = app.Host.Services.GetRequiredService<ImapIdleListener>();
        await Waits.UntilAsync(() => Task.FromResult(listener.IsIdling(inbox.Id)), "the inbox's connection to enter IDLE");

        await dovecot.KickAsync();
        await AppendAsync(dovecot, EmailTestHost.Mail("max@customer.test", "support@x.test", "While down", "Sent during the outage."));

        // The loop backs off (2 s), reconnects, imports what came meanwhile and idles again.
        await Waits.UntilAsync(() => Task.FromResult(listener.Connections(inbox.Id) == 2 && listener.IsIdling(inbox.Id)), "the listener to reconnect and IDLE again");
        await Waits.UntilAsync(async () => (await app.ConversationsAsync(inbox)).Count == 1, "the mail of the outage to be imported");
    }

    private static async Task<Inbox> CreateImapInboxAsync(EmailTestHost app, DovecotServer dovecot, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(more ?? [])
        {
            [EmailSettings.ImapHost] = "127.0.0.1",
            [EmailSettings.ImapPort] = dovecot.Port.ToString(CultureInfo.InvariantCulture),
            [EmailSettings.ImapUser] = DovecotServer.User,
            [EmailSettings.ImapPasswordKey] = PasswordKey,
            [EmailSettings.ImapTls] = "none",
        };
        return await app.CreateEmailInboxAsync(EmailHostFixture.Unique("imap"), settings);
    }

    private static Task AppendAsync(DovecotServer dovecot, params MimeMessage[] messages) => AppendAsync(dovecot, DateTimeOffset.UtcNow, messages);

    /// <summary>APPENDs the messages with the given arrival time (IMAP INTERNALDATE).</summary>
    private static async Task AppendAsync(DovecotServer dovecot, DateTimeOffset arrived, params MimeMessage[] messages)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", dovecot.Port, SecureSocketOptions.None).WaitAsync(Waits.Default);
        await client.AuthenticateAsync(DovecotServer.User, DovecotServer.Password).WaitAsync(Waits.Default);
        foreach (var message in messages)
        {
            await client.Inbox.AppendAsync(message, MessageFlags.None, arrived).WaitAsync(Waits.Default);
        }

        await client.DisconnectAsync(true).WaitAsync(Waits.Default);
    }
}
