using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit.Utils;

namespace ContactCenter.Channels.Tests.Email;

public sealed class EmailSenderTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private EmailTestHost App => fixture.Host;

    [Fact]
    public async Task SendAsync_AgentReply_ArrivesWithThreadingHeadersTokenQuoteAndSignature()
    {
        var address = EmailHostFixture.Unique("support");
        var inbox = await App.CreateEmailInboxAsync(address);
        var customer = EmailHostFixture.Unique("grace");
        var first = EmailTestHost.Mail($"Grace <{customer}>", address, "Broken charger", "My charger is broken.");
        var opened = await App.IngestAsync(inbox, first);
        var conversationId = opened.ConversationId!.Value;
        var earlierOurs = MimeUtils.GenerateMessageId("x.test");
        await App.ReplyOutsideTheDispatcherAsync(conversationId, "Which model?", earlierOurs);
        var followUp = EmailTestHost.Mail(customer, address, "Re: Broken charger", "Model X.");
        followUp.InReplyTo = earlierOurs;
        await App.IngestAsync(inbox, followUp);
        var reply = await App.ReplyOutsideTheDispatcherAsync(conversationId, "A new one is on its way.");

        var outcome = await SendAsync(reply, "Ada\nSupport team");

        Assert.True(outcome.Success, outcome.Error);
        var sent = App.Sink.Received.Single(m => m.MessageId == outcome.ProviderMessageId);
        Assert.Equal(customer, sent.To.Mailboxes.Single().Address);
        Assert.Equal(address, sent.From.Mailboxes.Single().Address);
        Assert.Equal(followUp.MessageId, sent.InReplyTo);
        Assert.Equal(new[] { first.MessageId, earlierOurs, followUp.MessageId }, sent.References.ToList());
        var number = (await App.ConversationsAsync(inbox)).Single().Number;
        Assert.Equal($"Re: Broken charger [#{number}]", sent.Subject);
        Assert.Contains("A new one is on its way.\n\n-- \nAda\nSupport team", sent.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("> Model X.", sent.TextBody, StringComparison.Ordinal);
        Assert.Contains("<blockquote", sent.HtmlBody, StringComparison.Ordinal);

        // The customer's answer to it threads back by In-Reply-To (the provider id the outbox records).
        await RecordSentAsync(reply, outcome.ProviderMessageId!);
        var answer = EmailTestHost.Mail(customer, address, "Re: whatever", "Thanks!");
        answer.InReplyTo = outcome.ProviderMessageId;
        Assert.Equal(conversationId, (await App.IngestAsync(inbox, answer)).ConversationId);
    }

    [Fact]
    public async Task SendAsync_RecipientRejected_PermanentFailure()
    {
        var address = EmailHostFixture.Unique("support");
        var inbox = await App.CreateEmailInboxAsync(address);
        var opened = await App.IngestAsync(inbox, EmailTestHost.Mail("reject-me@customer.test", address, "Hi", "Hello"));
        var reply = await App.ReplyOutsideTheDispatcherAsync(opened.ConversationId!.Value, "Hello back");

        var outcome = await SendAsync(reply, null);

        Assert.False(outcome.Success);
        Assert.True(outcome.Permanent, outcome.Error);
        Assert.Contains("550", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RelayDown_TransientFailure()
    {
        var address = EmailHostFixture.Unique("support");
        var inbox = await App.CreateEmailInboxAsync(address, new Dictionary<string, string>
        {
            [EmailSettings.SmtpHost] = "127.0.0.1",
            [EmailSettings.SmtpPort] = LocalServers.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [EmailSettings.SmtpTls] = "none",
        });
        var opened = await App.IngestAsync(inbox, EmailTestHost.Mail("h@customer.test", address, "Hi", "Hello"));
        var reply = await App.ReplyOutsideTheDispatcherAsync(opened.ConversationId!.Value, "Hello back");

        var outcome = await SendAsync(reply, null);

        Assert.False(outcome.Success);
        Assert.False(outcome.Permanent);
    }

    private Task<SendOutcome> SendAsync(MessageId messageId, string? signature) =>
        App.Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId);
            var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == message.ConversationId);
            var inbox = await db.Inboxes.AsNoTracking().SingleAsync(i => i.Id == conversation.InboxId);
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId);
            var thread = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.CreatedAt <= message.CreatedAt)
                .OrderBy(m => m.CreatedAt).ToListAsync();
            var ids = await sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking()
                .Where(o => o.ConversationId == conversation.Id && o.ProviderMessageId != null)
                .ToDictionaryAsync(o => o.MessageId, o => o.ProviderMessageId!);
            var sender = sp.GetServices<IChannelSender>().Single(s => s.Channel == ChannelKind.Email);
            var delivery = new OutboundDelivery(inbox, conversation, message, contact, contact.Identities[0], thread, ids, signature);
            return await sender.SendAsync(delivery, CancellationToken.None).Within("send");
        });

    private Task RecordSentAsync(MessageId messageId, string providerId) =>
        App.Host.InScopeAsync(async sp =>
        {
            var item = await sp.GetRequiredService<IOutboxDbContext>().Outbox.SingleAsync(o => o.MessageId == messageId);
            item.Succeeded(providerId, DateTimeOffset.UtcNow);
            await sp.GetRequiredService<IApplicationDbContext>().SaveChangesAsync();
        });
}
