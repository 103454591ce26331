using ContactCenter.Channels.Email;
using ContactCenter.Testing;
using MailKit.Net.Smtp;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

public sealed class SmtpReceiverTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private EmailTestHost App => fixture.Host;

    [Fact]
    public async Task Data_AcceptedMessage_IsCommittedBeforeTheOkReply()
    {
        var address = EmailHostFixture.Unique("help");
        var inbox = await App.CreateEmailInboxAsync(address);

        await App.SendAsync(EmailTestHost.Mail("Eve <eve@customer.test>", address, "Login fails", "I cannot log in."));

        // No waiting: 250 was only sent after the commit.
        var conversation = Assert.Single(await App.ConversationsAsync(inbox));
        Assert.Equal("Login fails", conversation.Subject);
        Assert.Equal("I cannot log in.", Assert.Single(await App.MessagesAsync(conversation.Id)).Text);
    }

    [Fact]
    public async Task Rcpt_UnknownAddress_Rejected550()
    {
        var mail = EmailTestHost.Mail("eve@customer.test", EmailHostFixture.Unique("nobody"), "Hello", "Hi");

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => App.SendAsync(mail));

        Assert.Equal(550, (int)ex.StatusCode);
    }

    [Fact]
    public async Task Data_NewConversation_AcknowledgedOnceAndNeverToAutomaticSendersAndRateLimited()
    {
        var address = EmailHostFixture.Unique("ack");
        await App.CreateEmailInboxAsync(address, new Dictionary<string, string> { [EmailSettings.Acknowledgement] = "Hello {name}, we got your request #{number}." });
        var customer = EmailHostFixture.Unique("fan");
        var robot = EmailHostFixture.Unique("robot");

        var first = EmailTestHost.Mail($"Fan <{customer}>", address, "Question 1", "One");
        await App.SendAsync(first);
        var auto = EmailTestHost.Mail(robot, address, "Automatic reply", "Away");
        auto.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        await App.SendAsync(auto);
        for (var i = 2; i <= 5; i++)
        {
            await App.SendAsync(EmailTestHost.Mail(customer, address, $"Question {i}", $"Number {i}"));
        }

        var acks = App.Sink.Received.Where(m => m.To.Mailboxes.Any(a => a.Address == customer)).ToList();
        Assert.Equal(3, acks.Count); // Email:AutoReply:MaxPerSender (default 3) per day
        var ack = acks.Single(a => a.InReplyTo == first.MessageId);
        Assert.Equal("auto-replied", ack.Headers[HeaderId.AutoSubmitted]);
        Assert.Matches(@"^Re: Question 1 \[#\d+\]$", ack.Subject);
        Assert.StartsWith("Hello Fan, we got your request #", ack.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(App.Sink.Received, m => m.To.Mailboxes.Any(a => a.Address == robot));
    }

    [Fact]
    public async Task Data_StorageFailsThenRecovers_451ThenStoredOnceOnRetry()
    {
        var blocker = Path.Combine(Path.GetTempPath(), "cc-tests", "blocker-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        await File.WriteAllTextAsync(blocker, "not a folder");
        await using var app = await EmailTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Files:Root"] = blocker,
            ["Email:Smtp:MaxMessageBytes"] = "65536",
        });
        var address = EmailHostFixture.Unique("help");
        var inbox = await app.CreateEmailInboxAsync(address);
        var mail = EmailTestHost.Mail("frank@customer.test", address, "Outage", "Help");

        var failed = await Assert.ThrowsAsync<SmtpCommandException>(() => app.SendAsync(mail));
        File.Delete(blocker);
        await app.SendAsync(mail);
        await app.SendAsync(mail);
        var big = EmailTestHost.Mail("frank@customer.test", address, "Big", new string('x', 100_000));
        var tooBig = await Assert.ThrowsAsync<SmtpCommandException>(() => app.SendAsync(big));

        Assert.Equal(451, (int)failed.StatusCode);
        var conversation = Assert.Single(await app.ConversationsAsync(inbox));
        Assert.Single(await app.MessagesAsync(conversation.Id));
        Assert.Equal(552, (int)tooBig.StatusCode);
    }

    [Fact]
    public async Task Data_AutoresponderIgnoringHeaders_LoopStopsAtTheRateLimit()
    {
        var address = EmailHostFixture.Unique("loop");
        var inbox = await App.CreateEmailInboxAsync(address, new Dictionary<string, string> { [EmailSettings.Acknowledgement] = "We got #{number}." });
        var robot = EmailHostFixture.Unique("away");

        // A naive autoresponder: answers everything it gets with a fresh subject and no Auto-Submitted header.
        await App.SendAsync(EmailTestHost.Mail(robot, address, "Hello", "Start"));
        var answered = 0;
        for (var round = 0; round < 10; round++)
        {
            var toRobot = App.Sink.Received.Count(m => m.To.Mailboxes.Any(a => a.Address == robot));
            if (toRobot == answered)
            {
                break;
            }

            for (; answered < toRobot; answered++)
            {
                await App.SendAsync(EmailTestHost.Mail(robot, address, $"I am away ({answered})", "Back next week."));
            }
        }

        Assert.Equal(3, answered); // Email:AutoReply:MaxPerSender: the fourth new conversation gets no acknowledgement
        Assert.Equal(4, (await App.ConversationsAsync(inbox)).Count);
    }
}
