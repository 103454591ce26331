using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Outbound;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

/// <summary>The real app with its SMTP receiver on a free loopback port and its outgoing relay pointed at a local sink.</summary>
public sealed class EmailTestHost : IAsyncDisposable
{
    private EmailTestHost(ContactCenterHost host, SmtpSink sink, int smtpPort)
    {
        Host = host;
        Sink = sink;
        SmtpPort = smtpPort;
    }

    public ContactCenterHost Host { get; }
    public SmtpSink Sink { get; }
    public int SmtpPort { get; }

    public static async Task<EmailTestHost> StartAsync(IDictionary<string, string?>? settings = null, string? sharedDataDirectory = null)
    {
        var sink = new SmtpSink();
        var port = LocalServers.FreePort();
        var all = new Dictionary<string, string?>
        {
            ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Listen"] = "127.0.0.1",
            ["Email:Outbound:Host"] = "127.0.0.1",
            ["Email:Outbound:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Outbound:Tls"] = "none",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var host = new ContactCenterHost(all, sharedDataDirectory: sharedDataDirectory);
        _ = host.BaseAddress; // starts the app and its hosted services
        var test = new EmailTestHost(host, sink, port);
        await Waits.UntilAsync(test.ReceiverAnswersAsync, "the SMTP receiver to listen");
        return test;
    }

    public async Task<Inbox> CreateEmailInboxAsync(string address, IDictionary<string, string>? settings = null)
    {
        var team = await Host.CreateTeamAsync("Support " + Guid.NewGuid().ToString("N")[..6]);
        var inbox = Inbox.Create("Support mail", ChannelKind.Email, team.Id).Value;
        inbox.SetSetting(EmailSettings.Address, address);
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            inbox.SetSetting(k, v);
        }

        await Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
        });
        return inbox;
    }

    /// <summary>Sends a message to the receiver over SMTP (MailKit), as a mail server forwarding to us would.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", SmtpPort, MailKit.Security.SecureSocketOptions.None).WaitAsync(Waits.Default);
        await client.SendAsync(message).WaitAsync(Waits.Default);
        await client.DisconnectAsync(true).WaitAsync(Waits.Default);
    }

    public Task<EmailOutcome> IngestAsync(Inbox inbox, MimeMessage message) => IngestAsync(inbox, Bytes(message));

    public Task<EmailOutcome> IngestAsync(Inbox inbox, byte[] raw) =>
        Host.InScopeAsync(sp => sp.GetRequiredService<EmailIngest>().IngestAsync(inbox.Id, raw, "test", CancellationToken.None)).Within("ingest");

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static MimeMessage Mail(string from, string to, string subject, string text, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public Task<List<Message>> MessagesAsync(ConversationId conversationId) =>
        Host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId).OrderBy(m => m.CreatedAt).ToListAsync());

    public Task<List<Conversation>> ConversationsAsync(Inbox inbox) =>
        Host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .Where(c => c.InboxId == inbox.Id).ToListAsync());

    /// <summary>
    /// An agent's public reply through the real use case: its outbox entry is picked up by the outbox dispatcher, which
    /// sends it through EmailSender to the sink.
    /// </summary>
    public async Task<MessageId> ReplyAsync(ConversationId conversationId, string text, string? signature = null, IReadOnlyList<(string Name, byte[] Bytes)>? files = null)
    {
        var agent = await Host.CreateAgentAsync($"agent{Guid.NewGuid():N}@cc.test", "Ada Agent", StaffRole.Admin);
        return await Host.InScopeAsync(async sp =>
        {
            if (signature is not null)
            {
                Assert.True((await sp.GetRequiredService<AgentSignatureHandler>().SetAsync(agent.Id, signature, CancellationToken.None)).IsSuccess);
            }

            var attachments = new List<Application.Files.AttachmentReference>();
            foreach (var (name, bytes) in files ?? [])
            {
                // Uploaded the way the console does it (checked by content, stored as this agent's file for the conversation).
                var uploaded = await sp.GetRequiredService<Application.Files.AgentFiles>()
                    .UploadAsync(StaffMember.From(agent), conversationId, name, new MemoryStream(bytes), bytes.Length, CancellationToken.None);
                attachments.Add(new(uploaded.Value.Key, uploaded.Value.FileName));
            }

            var reply = await sp.GetRequiredService<SendAgentReplyHandler>()
                .HandleAsync(StaffMember.From(agent), new SendAgentReply(conversationId, text, false, null, Attachments: attachments), CancellationToken.None);
            return reply.Value.MessageId;
        });
    }

    /// <summary>
    /// An agent's reply whose outbox entry is already complete (the dispatcher leaves it alone): recorded as sent with
    /// <paramref name="sentMessageId"/>, or with no provider id yet when the test sends it itself.
    /// </summary>
    public async Task<MessageId> ReplyOutsideTheDispatcherAsync(ConversationId conversationId, string text, string? sentMessageId = null)
    {
        var agent = await Host.CreateAgentAsync($"agent{Guid.NewGuid():N}@cc.test", "Ada Agent", StaffRole.Admin);
        return await Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.SingleAsync(c => c.Id == conversationId);
            var now = DateTimeOffset.UtcNow;
            var reply = conversation.ReplyFromAgent(agent.Id, agent.DisplayName, new MessageContent(text), false, null, now).Value;
            var item = OutboxItem.For(reply.Id, conversationId, conversation.InboxId, conversation.Channel, now);
            item.Succeeded(sentMessageId, now);
            sp.GetRequiredService<IOutboxDbContext>().Outbox.Add(item);
            await db.SaveChangesAsync();
            return reply.Id;
        });
    }

    private Task<bool> ReceiverAnswersAsync() => LocalServers.AnswersAsync(SmtpPort, "220");

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Sink.Dispose();
    }
}
