using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

public sealed class EmailEndToEndTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private EmailTestHost App => fixture.Host;

    [Fact]
    public async Task Reply_WithAgentsFiles_EmailAtTheRelayCarriesThemAsAttachments()
    {
        var address = EmailHostFixture.Unique("files");
        var inbox = await App.CreateEmailInboxAsync(address);
        var customer = EmailHostFixture.Unique("ines");
        await App.SendAsync(EmailTestHost.Mail(customer, address, "Return", "How do I return it?"));
        var conversation = Assert.Single(await App.ConversationsAsync(inbox));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 5, 6, 7, 8];
        var pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"u8.ToArray();

        await App.ReplyAsync(conversation.Id, "Label and invoice attached.", files: [("label.png", png), ("../invoice.exe", pdf)]);
        await Waits.UntilAsync(() => Task.FromResult(App.Sink.Received.Any(m => m.To.Mailboxes.Any(a => a.Address == customer))), "the reply to reach the relay");

        var sent = App.Sink.Received.Single(m => m.To.Mailboxes.Any(a => a.Address == customer));
        var parts = sent.Attachments.OfType<MimePart>().ToList();
        Assert.Equal([("label.png", "image/png"), ("invoice.pdf", "application/pdf")], parts.Select(p => (p.FileName, p.ContentType.MimeType)));
        using var first = new MemoryStream();
        await parts[0].Content!.DecodeToAsync(first);
        Assert.Equal(png, first.ToArray());
        Assert.StartsWith("Label and invoice attached.", sent.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_AgentWithSignature_EmailAtTheRelayEndsTheReplyWithTheSignature()
    {
        var address = EmailHostFixture.Unique("sig");
        var inbox = await App.CreateEmailInboxAsync(address);
        var customer = EmailHostFixture.Unique("omar");
        await App.SendAsync(EmailTestHost.Mail(customer, address, "Refund", "Where is my refund?"));
        var conversation = Assert.Single(await App.ConversationsAsync(inbox));

        await App.ReplyAsync(conversation.Id, "The refund left today.", "Ada Agent\nAcme Customer Care");
        await Waits.UntilAsync(() => Task.FromResult(App.Sink.Received.Any(m => m.To.Mailboxes.Any(a => a.Address == customer))), "the signed reply to reach the relay");

        var sent = App.Sink.Received.Single(m => m.To.Mailboxes.Any(a => a.Address == customer));
        var text = (sent.TextBody ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
        var reply = text[..text.IndexOf("\nOn ", StringComparison.Ordinal)].TrimEnd();

        // Reply, the "-- " separator and the signature; the quoted question follows below.
        Assert.Equal("The refund left today.\n\n-- \nAda Agent\nAcme Customer Care", reply);
        Assert.EndsWith("> Where is my refund?", text.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("<div class=\"signature\">-- <br>Ada Agent<br>Acme Customer Care</div>", sent.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversation_MailReplyAnswerAndBounce_ThreadAndDeliveryEndToEnd()
    {
        var address = EmailHostFixture.Unique("help");
        var inbox = await App.CreateEmailInboxAsync(address);
        var customer = EmailHostFixture.Unique("lena");

        // 1. The customer writes in over SMTP.
        var question = EmailTestHost.Mail($"Lena <{customer}>", address, "Parcel missing", "My parcel never arrived.");
        await App.SendAsync(question);
        var conversation = Assert.Single(await App.ConversationsAsync(inbox));

        // 2. An agent replies; the outbox dispatcher sends it through EmailSender to the relay (the sink).
        var replyId = await App.ReplyAsync(conversation.Id, "We are sending a new parcel.");
        await Waits.UntilAsync(() => Task.FromResult(App.Sink.Received.Any(m => m.To.Mailboxes.Any(a => a.Address == customer))), "the reply to reach the relay");
        var sent = App.Sink.Received.Single(m => m.To.Mailboxes.Any(a => a.Address == customer));
        Assert.Equal(address, sent.From.Mailboxes.Single().Address);
        Assert.Equal(question.MessageId, sent.InReplyTo);
        Assert.Equal([question.MessageId!], sent.References.ToList());
        Assert.Equal($"Re: Parcel missing [#{conversation.Number}]", sent.Subject);
        Assert.Contains("> My parcel never arrived.", sent.TextBody, StringComparison.Ordinal);
        await Waits.UntilAsync(async () => (await Message(replyId)).DeliveryStatus == DeliveryStatus.Sent, "the reply to be marked sent");
        var providerId = await App.Host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking()
            .Where(o => o.MessageId == replyId).Select(o => o.ProviderMessageId).SingleAsync());
        Assert.Equal(sent.MessageId, providerId);

        // 3. The customer answers the reply from a client that keeps the headers: same conversation.
        var answer = EmailTestHost.Mail(customer, address, "Re: " + sent.Subject, "Thank you!\n\nOn Tue, Support wrote:\n> We are sending a new parcel.");
        answer.InReplyTo = sent.MessageId;
        answer.References.AddRange(sent.References);
        answer.References.Add(sent.MessageId!);
        await App.SendAsync(answer);
        var messages = await App.MessagesAsync(conversation.Id);
        Assert.Equal(["My parcel never arrived.", "We are sending a new parcel.", "Thank you!"], messages.Select(m => m.Text).ToArray());
        Assert.Single(await App.ConversationsAsync(inbox));

        // 4. A later reply bounces: the bounce marks exactly that reply failed and opens nothing.
        var second = await App.ReplyAsync(conversation.Id, "Tracking number: 123.");
        await Waits.UntilAsync(async () => (await Message(second)).DeliveryStatus == DeliveryStatus.Sent, "the second reply to be sent");
        var secondSent = App.Sink.Received.Single(m => m.TextBody?.StartsWith("Tracking number", StringComparison.Ordinal) == true);
        await App.SendAsync(Bounce(secondSent, address));

        Assert.Equal(DeliveryStatus.Failed, (await Message(second)).DeliveryStatus);
        Assert.Contains("Mailbox full", (await Message(second)).DeliveryError, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, (await Message(replyId)).DeliveryStatus);
        Assert.Single(await App.ConversationsAsync(inbox));
    }

    private Task<Message> Message(Domain.Common.MessageId id) =>
        App.Host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == id));

    private static MimeMessage Bounce(MimeMessage original, string to)
    {
        var report = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delivery failed." } };
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.customer.test" } });
        status.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", "rfc822; " + original.To.Mailboxes.Single().Address },
            { "Action", "failed" },
            { "Status", "5.2.2" },
            { "Diagnostic-Code", "smtp; 552 5.2.2 Mailbox full" },
        });
        report.Add(status);
        var headers = new TextPart("rfc822-headers") { Text = $"Message-ID: <{original.MessageId}>\r\nSubject: {original.Subject}\r\n" };
        report.Add(headers);
        var bounce = EmailTestHost.Mail("Mail Delivery System <MAILER-DAEMON@mx.customer.test>", to, "Undelivered Mail Returned to Sender", "");
        bounce.Body = report;
        return bounce;
    }
}
