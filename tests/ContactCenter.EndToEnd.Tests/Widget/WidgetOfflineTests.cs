using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>
/// The widget outside business hours (the offline form, filed as an email conversation) and the transcript by email at the
/// end of a chat, in headless Chromium on the third-party page, against the real app.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetOfflineTests(BrowserFixture browser) : WidgetShopTestBase
{
    private Inbox _mail = default!;

    protected override async Task ArrangeAsync()
    {
        _mail = await Host.CreateEmailInboxAsync("Support mail", "help@northwind.test", Support.Id);
        await Host.SetInboxSettingsAsync(Chat.Id, (WidgetOfflineSettings.OfflineEmailInboxId, _mail.Id.Value.ToString()));
    }

    [Fact]
    public async Task OutsideBusinessHours_OfflineForm_Validated_ThenFiledAsEmailConversation()
    {
        // An agent is online, but the team's calendar says closed: the hours decide.
        await using var alice = await Host.ConnectAgentAsync("alice@test.local", "Alice Martin", Support.Id);
        await Host.CloseTeamNowAsync(Support.Id);
        var page = await browser.OpenAsync(Shop());

        await page.Launcher().ClickAsync();
        var form = page.Locator("contactcenter-chat .cc-offline");
        await Assertions.Expect(form).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat")).ToBeHiddenAsync();
        await Assertions.Expect(form.Locator("#cc-offline-intro")).ToContainTextAsync("We're closed right now.");
        await Assertions.Expect(form.Locator("#cc-offline-intro")).ToContainTextAsync("We're back");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-subtitle")).ToHaveTextAsync("Offline · we answer by email");
        await Assertions.Expect(page.Locator("contactcenter-chat #cc-offline-name")).ToBeFocusedAsync();

        await form.GetByLabel("Your name").FillAsync("Olga Offline");
        await form.GetByLabel("Your email").FillAsync("olga@example");
        await form.GetByLabel("Your message").FillAsync("My order #1042 never arrived. <script>window.__pwned=1</script>");
        await page.ShotAsync("widget-18-offline-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Assertions.Expect(form.Locator(".cc-form-error")).ToHaveTextAsync("Please enter a valid email address.");
        await Assertions.Expect(form.GetByLabel("Your email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.GetByLabel("Your email")).ToBeFocusedAsync();
        Assert.Empty(await Host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().ToListAsync()));

        await form.GetByLabel("Your email").FillAsync("olga@example.com");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        var done = page.Locator("contactcenter-chat .cc-offline-done");
        await Assertions.Expect(done).ToBeVisibleAsync();
        await Assertions.Expect(done).ToContainTextAsync("Thanks, Olga Offline! We've received your message (reference #");
        await Assertions.Expect(done).ToContainTextAsync("will reply to olga@example.com.");
        await page.ShotAsync("widget-19-offline-sent");

        var conversation = await Host.WaitForConversationAsync();
        Assert.Equal(_mail.Id, conversation.InboxId);
        Assert.Equal(ChannelKind.Email, conversation.Channel);
        await Assertions.Expect(done).ToContainTextAsync($"reference #{conversation.Number})");
        var stored = await Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            return (Contact: await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId),
                Texts: await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id).Select(m => m.Text).ToListAsync());
        });
        Assert.Equal("Olga Offline", stored.Contact.Name);
        Assert.Contains(ContactIdentity.Create(IdentityKind.Email, "olga@example.com"), stored.Contact.Identities);
        Assert.Equal(["My order #1042 never arrived. <script>window.__pwned=1</script>"], stored.Texts);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
    }

    [Fact]
    public async Task EndOfChat_TranscriptByEmail_PrefilledFromPreChat_QueuedInTheOutbox()
    {
        await using var alice = await Host.ConnectAgentAsync("alice@test.local", "Alice Martin", Support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.Launcher().ClickAsync();
        await page.Locator("contactcenter-chat #cc-name").FillAsync("Tom Transcript");
        await page.Locator("contactcenter-chat #cc-email").FillAsync("tom@example.com");
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Composer()).ToBeVisibleAsync();
        await page.SendAsync("Which chain fits a 28\" city bike?");
        var conversation = await Host.WaitForConversationAsync();
        await alice.ReplyAsync(conversation.Id.Value, "A 1/2 x 1/8\" single-speed chain, 112 links.");
        await Assertions.Expect(page.AgentBubbles()).ToHaveCountAsync(1);

        await page.Locator("contactcenter-chat .cc-end").ClickAsync();
        await page.Locator("contactcenter-chat .cc-confirm .cc-primary").ClickAsync();

        var offer = page.Locator("contactcenter-chat .cc-transcript");
        await Assertions.Expect(offer).ToBeVisibleAsync();
        var address = offer.GetByLabel("Email me a copy of this chat");
        await Assertions.Expect(address).ToHaveValueAsync("tom@example.com");
        await page.ShotAsync("widget-20-transcript-offer");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Send transcript" }).ClickAsync();

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--transcript [role=status]")).ToHaveTextAsync("The transcript is on its way to tom@example.com.");
        await page.ShotAsync("widget-21-transcript-sent");
        var item = Assert.Single(await Host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().ToListAsync()));
        Assert.Equal(OutboxPurpose.Transcript, item.Purpose);
        Assert.Equal("tom@example.com", item.Recipient);
        Assert.Equal(_mail.Id, item.InboxId);
        Assert.Contains("] Tom Transcript:\nWhich chain fits a 28\" city bike?\n", item.Body, StringComparison.Ordinal);
        Assert.Contains("] Alice Martin:\nA 1/2 x 1/8\" single-speed chain, 112 links.\n", item.Body, StringComparison.Ordinal);
    }
}
