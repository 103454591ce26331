using ContactCenter.Channels.Email;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

public sealed class EmailTextTests
{
    [Theory]
    [InlineData("Thanks, that worked.\n\nOn Mon, 3 Mar 2025 at 10:00, Support <s@x.test> wrote:\n> Try again.\n> Bye", "Thanks, that worked.")]
    [InlineData("Yes please.\n\nOn Mon, 3 Mar 2025 at 10:00, Support\n<s@x.test> wrote:\n> Question?", "Yes please.")]
    [InlineData("Fine.\n-----Original Message-----\nFrom: Support\nSent: Monday\nOld text", "Fine.")]
    [InlineData("See below.\n\nFrom: Support <s@x.test>\nSent: Monday, 3 March 2025 10:00\nTo: me\nSubject: Re: x\n\nOld", "See below.")]
    [InlineData("Danke.\n\nAm 03.03.2025 um 10:00 schrieb Support <s@x.test>:\n> Alt", "Danke.")]
    [InlineData("好的，谢谢。\n\n在 2025年3月3日 10:00，客服 <s@x.test> 写道：\n> 旧内容", "好的，谢谢。")]
    [InlineData("Kind regards\n-- \nJane Doe\nACME Corp", "Kind regards")]
    [InlineData("Short answer\n\nSent from my iPhone", "Short answer")]
    [InlineData("> only a quote\n> nothing new", "> only a quote\n> nothing new")]
    [InlineData("Inline answer:\n> question one\nanswer one", "Inline answer:\nanswer one")]
    public void StripReply_CommonClients_KeepsOnlyTheNewText(string text, string expected) =>
        Assert.Equal(expected, EmailText.StripReply(text));

    [Fact]
    public void FromHtml_BlocksAndEntities_ReadableText()
    {
        var text = EmailText.FromHtml("<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;<b>there</b> &amp; welcome</p><div>Line 2<br>Line 3</div><script>x()</script></body></html>");

        Assert.Equal("Hello\u00a0there & welcome\nLine 2\nLine 3", text);
    }

    [Theory]
    [InlineData("Re: Refund [#1234]", 1234L)]
    [InlineData("[#7] Fwd: hello", 7L)]
    [InlineData("Order #1234", null)]
    [InlineData(null, null)]
    public void TicketNumberOf_SubjectToken_Parsed(string? subject, long? expected) =>
        Assert.Equal(expected, EmailNormaliser.TicketNumberOf(subject));

    [Theory]
    [InlineData("Refund", 12L, "Re: Refund [#12]")]
    [InlineData("RE: Refund [#12]", 12L, "RE: Refund [#12]")]
    [InlineData("", 3L, "Re: Your request [#3]")]
    public void SubjectFor_Reply_CarriesTheTokenOnce(string subject, long number, string expected) =>
        Assert.Equal(expected, EmailSender.SubjectFor(subject, number));

    [Fact]
    public void ExternalIdOf_NoMessageId_StableHashOfTheRawBytes()
    {
        var message = new MimeMessage(); // a new MimeMessage gets a generated Message-ID: parsed mail without one has none
        message.Headers.Remove(HeaderId.MessageId);
        byte[] raw = [1, 2, 3];

        var id = EmailNormaliser.ExternalIdOf(message, raw);

        Assert.Equal(id, EmailNormaliser.ExternalIdOf(message, raw));
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal(71, id.Length);
    }

    [Fact]
    public void ReadBounce_DelayedOnly_NotAFailure()
    {
        var report = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delayed" } };
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx" } });
        status.StatusGroups.Add(new HeaderList { { "Final-Recipient", "rfc822; a@b.test" }, { "Action", "delayed" }, { "Status", "4.4.1" } });
        report.Add(status);
        var bounce = new MimeMessage { Subject = "Delayed Mail", Body = report, InReplyTo = "ours@x.test" };
        bounce.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.test"));

        var read = EmailClassifier.ReadBounce(bounce);

        Assert.Equal(EmailKind.Bounce, EmailClassifier.Classify(bounce));
        Assert.False(read.Failed);
        Assert.Equal(["ours@x.test"], read.OriginalMessageIds);
    }
}
