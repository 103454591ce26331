using ContactCenter.Channels.Email;
using Xunit.Abstractions;

namespace ContactCenter.Channels.Tests.Email;

/// <summary>
/// Every MimeKit test message (and every message of the mbox files) is either filed or quarantined with a reason, and
/// none throws. The expected outcome of each is listed: delivery reports about mail this inbox never sent and a saved
/// web page without a sender are quarantined, machine-written mail is filed as automatic (never acknowledged).
/// </summary>
public sealed class EmailCorpusTests(EmailHostFixture fixture, ITestOutputHelper output) : IClassFixture<EmailHostFixture>
{
    private const string BounceForeign = "bounce about a message this inbox did not send";
    private const string NoSender = "no sender address";

    /// <summary>Outcomes other than "filed, written by a person".</summary>
    private static readonly Dictionary<string, (EmailOutcomeKind Kind, EmailKind Classification, string? Reason)> Exceptions = new(StringComparer.Ordinal)
    {
        ["bounce.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["delivery-status-multiple-blank-lines.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["delivery-status-no-blank-line.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["delivery-status.anonymized.eml"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["delivery-status.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["delivery-status2.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
        ["multipart-related-mhtml.txt"] = (EmailOutcomeKind.Quarantined, EmailKind.Personal, NoSender),
        ["disposition-notification.anonymized.eml"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["disposition-notification.txt"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["feedback-report.txt"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#9"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#23"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#24"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#25"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#26"] = (EmailOutcomeKind.Filed, EmailKind.Automatic, null),
        ["content-length.mbox.txt#27"] = (EmailOutcomeKind.Quarantined, EmailKind.Bounce, BounceForeign),
    };

    public static TheoryData<string, int?> Messages()
    {
        var data = new TheoryData<string, int?>();
        foreach (var file in Directory.GetFiles(Path.Combine(EmailCorpus.Folder, "mimekit-messages")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(EmailCorpus.Folder, file), null);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(EmailCorpus.Folder, "mimekit-mbox")).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(EmailCorpus.Folder, file);
            for (var i = 0; i < EmailCorpus.MboxCount(relative); i++)
            {
                data.Add(relative, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task IngestAsync_CorpusMessage_FiledOrQuarantinedAsListed(string file, int? index)
    {
        var name = Path.GetFileName(file) + (index is null ? "" : $"#{index}");
        var expected = Exceptions.TryGetValue(name, out var e) ? e : (EmailOutcomeKind.Filed, EmailKind.Personal, null);
        var inbox = await fixture.Host.CreateEmailInboxAsync(EmailHostFixture.Unique("corpus"));

        var outcome = await fixture.Host.IngestAsync(inbox, EmailCorpus.Raw(file, index));
        output.WriteLine($"{name}: {outcome.Kind} ({outcome.Classification}) {outcome.Reason}");

        Assert.Equal((expected.Kind, expected.Classification), (outcome.Kind, outcome.Classification));
        if (outcome.Kind == EmailOutcomeKind.Filed)
        {
            var message = Assert.Single(await fixture.Host.MessagesAsync(outcome.ConversationId!.Value));
            Assert.Equal(EmailNormaliser.OriginalFileName, message.Attachments[0].FileName);
        }
        else
        {
            Assert.StartsWith(expected.Reason!, outcome.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IngestAsync_CorpusJapaneseMessage_SubjectAndTextDecoded()
    {
        var inbox = await fixture.Host.CreateEmailInboxAsync(EmailHostFixture.Unique("corpus"));

        var outcome = await fixture.Host.IngestAsync(inbox, EmailCorpus.Raw("mimekit-messages/japanese.txt", null));

        var conversation = Assert.Single(await fixture.Host.ConversationsAsync(inbox));
        Assert.StartsWith("日本語メールテスト", conversation.Subject, StringComparison.Ordinal);
        var text = Assert.Single(await fixture.Host.MessagesAsync(outcome.ConversationId!.Value)).Text;
        Assert.Contains(text, c => c is >= '\u3040' and <= '\u30ff');
    }
}
