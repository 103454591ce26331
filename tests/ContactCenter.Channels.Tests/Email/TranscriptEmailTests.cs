using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

/// <summary>A web chat transcript requested by the customer leaves through the outbox and the email inbox's relay.</summary>
public sealed class TranscriptEmailTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private EmailTestHost App => fixture.Host;

    [Fact]
    public async Task Transcript_Requested_ReachesTheRelay_AsPlainTextOnly_FromTheWidgetsEmailInbox()
    {
        var address = EmailHostFixture.Unique("help");
        var mail = await App.CreateEmailInboxAsync(address);
        var chat = await App.Host.CreateInboxAsync("Website chat", ChannelKind.WebChat, null);
        await App.Host.SetInboxSettingsAsync(chat.Id, (WidgetOfflineSettings.OfflineEmailInboxId, mail.Id.Value.ToString()));
        var visitor = ContactIdentity.Create(IdentityKind.WidgetVisitor, Guid.NewGuid().ToString("N"));
        const string payload = "<img src=x onerror=alert(1)> & \"quotes\"";
        var received = await App.Host.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>()
            .HandleAsync(new InboundMessage(chat.Id, visitor, "Tess", "w:1", payload), CancellationToken.None));
        var customer = EmailHostFixture.Unique("tess");

        var queued = await App.Host.InScopeAsync(sp => sp.GetRequiredService<RequestTranscriptHandler>()
            .HandleAsync(new RequestTranscript(received.Value.ContactId, chat.Id, received.Value.ConversationId.Value, customer, "en"), CancellationToken.None));
        Assert.True(queued.IsSuccess, queued.Error?.Message);
        await Waits.UntilAsync(() => Task.FromResult(App.Sink.Received.Any(m => m.To.Mailboxes.Any(a => a.Address == customer))), "the transcript to reach the relay");

        var sent = App.Sink.Received.Single(m => m.To.Mailboxes.Any(a => a.Address == customer));
        Assert.Equal(address, sent.From.Mailboxes.Single().Address);
        Assert.StartsWith("Your chat transcript – Website chat (#", sent.Subject, StringComparison.Ordinal);
        var body = Assert.IsType<TextPart>(sent.Body);
        Assert.True(body.IsPlain);
        Assert.Null(sent.HtmlBody);
        Assert.Contains("] Tess:\n" + payload, body.Text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        await Waits.UntilAsync(async () => await App.Host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking()
            .AnyAsync(o => o.Recipient == customer && o.Status == OutboxStatus.Sent)), "the outbox item to be marked sent");
    }
}
