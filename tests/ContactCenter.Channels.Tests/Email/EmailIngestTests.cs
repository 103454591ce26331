using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Email;
using ContactCenter.Application.Files;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Channels.Tests.Email;

public sealed class EmailIngestTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private EmailTestHost App => fixture.Host;

    [Fact]
    public async Task IngestAsync_ReplyWithInReplyTo_ThreadsIntoSameConversation()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var first = EmailTestHost.Mail("Customer <Cust.Omer@Example.COM>", "support@x.test", "Printer broken", "It does not print.");
        var opened = await App.IngestAsync(inbox, first);

        var reply = EmailTestHost.Mail("cust.omer@example.com", "support@x.test", "Re: Printer broken", "Still broken.\n\nOn Mon, 1 Jan 2024, Support wrote:\n> What model?");
        reply.InReplyTo = first.MessageId;
        var threaded = await App.IngestAsync(inbox, reply);

        Assert.Equal(EmailOutcomeKind.Filed, opened.Kind);
        Assert.True(opened.NewConversation);
        Assert.Equal(opened.ConversationId, threaded.ConversationId);
        Assert.False(threaded.NewConversation);
        var messages = await App.MessagesAsync(opened.ConversationId!.Value);
        Assert.Equal("Still broken.", messages[1].Text);
        Assert.Equal(first.MessageId, messages[0].ExternalId);
        Assert.Equal(EmailNormaliser.OriginalFileName, messages[1].Attachments[0].FileName);
    }

    [Fact]
    public async Task IngestAsync_ReplyReferencingOurSentMessage_ThreadsByOutboxProviderId()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var opened = await App.IngestAsync(inbox, EmailTestHost.Mail("a@customer.test", "s@x.test", "Order", "Where is my order?"));
        var ourId = MimeUtils.GenerateMessageId("x.test");
        await App.ReplyOutsideTheDispatcherAsync(opened.ConversationId!.Value, "It ships today.", ourId);

        var reply = EmailTestHost.Mail("a@customer.test", "s@x.test", "Re: Order", "Thanks!");
        reply.References.Add("unknown@elsewhere");
        reply.References.Add(ourId);
        var threaded = await App.IngestAsync(inbox, reply);

        Assert.Equal(opened.ConversationId, threaded.ConversationId);
    }

    [Fact]
    public async Task IngestAsync_SubjectToken_ThreadsWhenHeadersAreMissing()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var opened = await App.IngestAsync(inbox, EmailTestHost.Mail("b@customer.test", "s@x.test", "Refund", "Please refund."));
        var number = (await App.ConversationsAsync(inbox)).Single().Number;

        var threaded = await App.IngestAsync(inbox, EmailTestHost.Mail("b@customer.test", "s@x.test", $"Re: Refund [#{number}]", "Any news?"));
        var unrelated = await App.IngestAsync(inbox, EmailTestHost.Mail("b@customer.test", "s@x.test", "Refund", "Another topic."));

        Assert.Equal(opened.ConversationId, threaded.ConversationId);
        Assert.True(unrelated.NewConversation);
        Assert.NotEqual(opened.ConversationId, unrelated.ConversationId);
    }

    [Fact]
    public async Task IngestAsync_SameMessageTwice_StoredOnce()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var mail = EmailTestHost.Mail("c@customer.test", "s@x.test", "Hello", "Hi there");
        var raw = EmailTestHost.Bytes(mail);

        var first = await App.IngestAsync(inbox, raw);
        var again = await App.IngestAsync(inbox, raw);
        mail.Headers.Remove(HeaderId.MessageId);
        var noId = EmailTestHost.Bytes(mail);
        var third = await App.IngestAsync(inbox, noId);
        var fourth = await App.IngestAsync(inbox, noId);

        Assert.Equal(EmailOutcomeKind.Duplicate, again.Kind);
        Assert.Equal(first.ConversationId, again.ConversationId);
        Assert.Equal(EmailOutcomeKind.Filed, third.Kind);
        Assert.Equal(EmailOutcomeKind.Duplicate, fourth.Kind);
        Assert.Equal(2, (await App.ConversationsAsync(inbox)).Count);
    }

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied")]
    [InlineData("Precedence", "bulk")]
    [InlineData("Precedence", "junk")]
    [InlineData("X-Autoreply", "yes")]
    [InlineData("X-Autorespond", "yes")]
    public async Task IngestAsync_AutomaticMail_FiledButClassifiedAutomatic(string header, string value)
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var mail = EmailTestHost.Mail("robot@customer.test", "s@x.test", "Out of office", "I am away.");
        mail.Headers.Add(header, value);

        var outcome = await App.IngestAsync(inbox, mail);

        Assert.Equal(EmailOutcomeKind.Filed, outcome.Kind);
        Assert.Equal(EmailKind.Automatic, outcome.Classification);
    }

    [Fact]
    public async Task IngestAsync_DeliveryStatusNotification_MarksTheRightOutboundMessageFailed()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var opened = await App.IngestAsync(inbox, EmailTestHost.Mail("gone@customer.test", "s@x.test", "Question", "Hi"));
        var conversationId = opened.ConversationId!.Value;
        var otherId = MimeUtils.GenerateMessageId("x.test");
        var bouncedId = MimeUtils.GenerateMessageId("x.test");
        var other = await App.ReplyOutsideTheDispatcherAsync(conversationId, "First answer", otherId);
        var bounced = await App.ReplyOutsideTheDispatcherAsync(conversationId, "Second answer", bouncedId);

        var outcome = await App.IngestAsync(inbox, Dsn(bouncedId, "gone@customer.test", "smtp; 550 5.1.1 User unknown"));

        Assert.Equal(EmailOutcomeKind.Bounce, outcome.Kind);
        var messages = await App.MessagesAsync(conversationId);
        var failed = messages.Single(m => m.Id == bounced);
        Assert.Equal(DeliveryStatus.Failed, failed.DeliveryStatus);
        Assert.Contains("User unknown", failed.DeliveryError, StringComparison.Ordinal);
        Assert.NotEqual(DeliveryStatus.Failed, messages.Single(m => m.Id == other).DeliveryStatus);
        Assert.Single(await App.ConversationsAsync(inbox));
    }

    [Fact]
    public async Task IngestAsync_JapaneseIso2022Jp_DecodedCorrectly()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var mail = EmailTestHost.Mail("yamada@customer.test", "s@x.test", "注文について", "");
        var body = new TextPart("plain");
        body.SetText("iso-2022-jp", "こんにちは、注文が届きません。");
        mail.Body = body;
        mail.Headers.Replace(HeaderId.Subject, Encoding.GetEncoding("iso-2022-jp"), "注文について");
        var chinese = EmailTestHost.Mail("wang@customer.test", "s@x.test", "退款", "");
        var gb = new TextPart("plain");
        gb.SetText("gb2312", "你好，我想退款。");
        chinese.Body = gb;

        var jp = await App.IngestAsync(inbox, mail);
        var zh = await App.IngestAsync(inbox, chinese);

        Assert.Equal("こんにちは、注文が届きません。", (await App.MessagesAsync(jp.ConversationId!.Value))[0].Text);
        Assert.Equal("注文について", (await App.ConversationsAsync(inbox)).Single(c => c.Id == jp.ConversationId).Subject);
        Assert.Equal("你好，我想退款。", (await App.MessagesAsync(zh.ConversationId!.Value))[0].Text);
    }

    [Fact]
    public async Task IngestAsync_HtmlWithInlineImageAndAttachment_StoresFilesAndSanitisesHtml()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var builder = new BodyBuilder { HtmlBody = "<p>See <b>picture</b>:</p><img src=\"cid:logo@x\"><script>alert(1)</script>" };
        var image = builder.LinkedResources.Add("logo.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3], new ContentType("image", "png"));
        image.ContentId = "logo@x";
        builder.Attachments.Add("invoice.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 test"), new ContentType("application", "pdf"));
        var mail = EmailTestHost.Mail("d@customer.test", "s@x.test", "Pictures", "");
        mail.Body = builder.ToMessageBody();

        var outcome = await App.IngestAsync(inbox, mail);

        var message = (await App.MessagesAsync(outcome.ConversationId!.Value)).Single();
        Assert.Equal("See picture:", message.Text);
        Assert.DoesNotContain("<script", message.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cid:logo@x", message.Html, StringComparison.Ordinal);
        var logo = message.Attachments.Single(a => a.FileName == "logo.png");
        Assert.Equal("logo@x", logo.ContentId);
        Assert.Contains(message.Attachments, a => a.FileName == "invoice.pdf" && a.ContentType == "application/pdf");
        var size = await App.Host.InScopeAsync(sp => sp.GetRequiredService<IFileStorage>().SizeAsync(logo.StorageKey, CancellationToken.None));
        Assert.Equal(7, size);

        var pdf = message.Attachments.Single(a => a.FileName == "invoice.pdf");
        var agentEmail = $"agent{Guid.NewGuid():N}@cc.test";
        await App.Host.CreateAgentAsync(agentEmail, "Agent", StaffRole.Agent, inbox.DefaultTeamId!.Value); // an agent of the inbox's team
        using var staff = App.Host.CreateRealClient(await App.Host.SignInAsync(agentEmail));
        using var anonymous = App.Host.CreateRealClient();
        using var download = await staff.GetAsync(new Uri($"api/v1/email/files/{pdf.StorageKey}", UriKind.Relative));
        using var refused = await anonymous.GetAsync(new Uri($"api/v1/email/files/{pdf.StorageKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-1.4 test", await download.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task IngestAsync_NoSender_QuarantinedAndReprocessableByAdminOnly()
    {
        var inbox = await App.CreateEmailInboxAsync(EmailHostFixture.Unique("support"));
        var raw = Encoding.ASCII.GetBytes("Subject: who am I\r\nMessage-ID: <nosender@x>\r\n\r\nbody\r\n");

        var outcome = await App.IngestAsync(inbox, raw);

        Assert.Equal(EmailOutcomeKind.Quarantined, outcome.Kind);
        Assert.Contains("no sender", outcome.Reason, StringComparison.Ordinal);
        var item = await App.Host.InScopeAsync(sp => sp.GetRequiredService<IEmailDbContext>().EmailQuarantine.AsNoTracking().SingleAsync(q => q.InboxId == inbox.Id));
        Assert.Equal("who am I", item.Subject);

        var agentEmail = $"agent{Guid.NewGuid():N}@cc.test";
        await App.Host.CreateAgentAsync(agentEmail, "Agent", StaffRole.Agent);
        using var agent = App.Host.CreateRealClient(await App.Host.SignInAsync(agentEmail));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(new Uri("api/v1/email/quarantine", UriKind.Relative))).StatusCode);

        var adminEmail = $"admin{Guid.NewGuid():N}@cc.test";
        await App.Host.CreateAgentAsync(adminEmail, "Admin 2", StaffRole.Admin);
        using var admin = App.Host.CreateRealClient(await App.Host.SignInAsync(adminEmail));
        var list = await admin.GetFromJsonAsync<List<QuarantinedEmail>>(new Uri("api/v1/email/quarantine", UriKind.Relative));
        Assert.Contains(list!, q => q.Id == item.Id && q.Reason.Contains("no sender", StringComparison.Ordinal));
        var eml = await admin.GetByteArrayAsync(new Uri($"api/v1/email/quarantine/{item.Id}/raw", UriKind.Relative));
        Assert.Equal(raw, eml);
        using var again = await admin.PostAsync(new Uri($"api/v1/email/quarantine/{item.Id}/reprocess", UriKind.Relative), null);
        var result = await again.Content.ReadFromJsonAsync<ReprocessResult>();
        Assert.Equal("Quarantined", result!.Outcome);
    }

    private static MimeMessage Dsn(string originalId, string recipient, string diagnostic)
    {
        var original = EmailTestHost.Mail("s@x.test", recipient, "Re: Question", "Second answer", originalId);
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "Your message could not be delivered." },
        };
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.customer.test" } });
        status.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", $"rfc822; {recipient}" },
            { "Action", "failed" },
            { "Status", "5.1.1" },
            { "Diagnostic-Code", diagnostic },
        });
        report.Add(status);
        report.Add(new MessagePart { Message = original });
        var bounce = EmailTestHost.Mail("MAILER-DAEMON@mx.customer.test", "s@x.test", "Undelivered Mail Returned to Sender", "");
        bounce.Body = report;
        return bounce;
    }
}
