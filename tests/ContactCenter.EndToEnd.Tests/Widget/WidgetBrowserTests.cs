using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Feedback;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>
/// The customers' widget in headless Chromium, embedded with the one-line snippet in a plain page served by another
/// site (another loopback port: a different origin), against the real app; agents are real SignalR clients.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private ThirdPartySite _site = default!;
    private Team _support = default!;
    private Team _billing = default!;
    private Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _site = await ThirdPartySite.StartAsync();
        _support = await _host.CreateTeamAsync("Support");
        _billing = await _host.CreateTeamAsync("Billing");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, _support.Id);
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == _inbox.Id);
            inbox.SetSetting(InboxTeams.Setting, $"{_support.Id},{_billing.Id}");
            await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _host.Dispose();
    }

    private Uri Shop(IDictionary<string, string>? attributes = null) => _site.ShopPage("/shop", _host.BaseAddress, _inbox.Id.Value, attributes);

    [Fact]
    public async Task PreChat_TopicRoutesToTeam_AgentJoins_TypingBothWays_ReplyVisible()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _billing.Id);
        var page = await browser.OpenAsync(Shop());

        // The pre-chat form: greeting, name, and the inbox's topics from /api/v1/widget/config.
        await page.Launcher().ClickAsync();
        var topic = page.Locator("contactcenter-chat #cc-topic");
        await Assertions.Expect(topic).ToBeVisibleAsync();
        Assert.Equal(["Choose a topic…", "Billing", "Support"], await topic.Locator("option").AllTextContentsAsync());
        await page.ShotAsync("widget-1-prechat");

        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat .cc-form-error")).ToHaveTextAsync("Please enter your name.");
        await page.Locator("contactcenter-chat #cc-name").FillAsync("Carla Customer");
        await topic.SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Composer()).ToBeVisibleAsync();

        await page.SendAsync("Hi! I was charged twice for order #1042.");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(1);

        // Routed to the chosen team (Billing), where Alice takes it: the customer sees her join.
        var conversation = await _host.WaitForConversationAsync();
        Assert.Equal(_billing.Id, conversation.TeamId);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--note").Filter(new() { HasText = "Alice Martin joined the chat" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-subtitle")).ToHaveTextAsync("You're chatting with Alice Martin");
        await page.ShotAsync("widget-2-agent-joined");

        // The customer types: the agent watching the conversation is told (once when it starts, once when it stops).
        await alice.WatchAsync(conversation.Id.Value);
        await page.Composer().PressSequentiallyAsync("Also, can I get");
        await Waits.UntilAsync(() => Task.FromResult(alice.CustomerTyping.Contains((conversation.Id.Value, true))), "the agent to see the customer typing");
        await Waits.UntilAsync(() => Task.FromResult(alice.CustomerTyping.Contains((conversation.Id.Value, false))), "the customer typing to stop after a pause");
        Assert.Single(alice.CustomerTyping, t => t.IsTyping);

        // The agent types: the customer sees it; the reply replaces the indicator.
        await alice.TypingAsync(conversation.Id.Value, true);
        var typing = page.Locator("contactcenter-chat .cc-typing");
        await Assertions.Expect(typing).ToBeVisibleAsync();
        await Assertions.Expect(typing).ToContainTextAsync("Alice Martin is typing…");
        await page.ShotAsync("widget-3-agent-typing");

        await alice.ReplyAsync(conversation.Id.Value, "Sorry about that, Carla! I've refunded the duplicate charge.");
        await Assertions.Expect(page.AgentBubbles().Filter(new() { HasText = "refunded the duplicate charge" })).ToBeVisibleAsync();
        await Assertions.Expect(typing).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--agent .cc-author")).ToHaveTextAsync("Alice Martin");
        await page.ShotAsync("widget-4-agent-reply");
    }

    [Fact]
    public async Task NoAgentOnline_WaitingCustomer_SeesQueuePositionAndEstimate()
    {
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("Quentin Queue", "Support");

        await page.SendAsync("Is anybody there?");

        var queue = page.Locator("contactcenter-chat .cc-queue");
        await Assertions.Expect(queue).ToBeVisibleAsync();
        await Assertions.Expect(queue).ToContainTextAsync("You're number 1 in line");
        await Assertions.Expect(queue).ToContainTextAsync("Estimated wait");
        await page.ShotAsync("widget-5-queue");

        // An agent comes online: the queue line gives way to the agent.
        await using var bob = await _host.ConnectAgentAsync("bob@test.local", "Bob Chen", _support.Id);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--note").Filter(new() { HasText = "Bob Chen joined the chat" })).ToBeVisibleAsync();
        await Assertions.Expect(queue).ToBeHiddenAsync();
    }

    [Fact]
    public async Task EndChat_ThenRate_StoresOneCsatRating()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("Rita Rater", "Support");
        await page.SendAsync("Do you ship to Norway?");
        var conversation = await _host.WaitForConversationAsync();
        await alice.ReplyAsync(conversation.Id.Value, "Yes — 3 to 5 days, free over €75.");
        await Assertions.Expect(page.AgentBubbles().Filter(new() { HasText = "free over €75" })).ToBeVisibleAsync();

        await page.Locator("contactcenter-chat .cc-end").ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-confirm")).ToBeVisibleAsync();
        await page.Locator("contactcenter-chat .cc-confirm .cc-primary").ClickAsync();

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--note").Filter(new() { HasText = "You ended the chat." })).ToBeVisibleAsync();
        var card = page.Locator("contactcenter-chat .cc-rating");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-end")).ToBeHiddenAsync();
        await card.GetByRole(AriaRole.Radio, new() { Name = "4 out of 5" }).ClickAsync();
        await card.GetByLabel("Comment").FillAsync("Quick and friendly <b>thanks</b>");
        await page.ShotAsync("widget-6-csat");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send rating" }).ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-rating--done")).ToHaveTextAsync("Thanks for your feedback!");
        await page.ShotAsync("widget-7-csat-thanks");

        var stored = await _host.InScopeAsync(async sp => new
        {
            Status = (await sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync()).Status,
            Ratings = await sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AsNoTracking().ToListAsync(),
        });
        Assert.Equal(ConversationStatus.Resolved, stored.Status);
        var rating = Assert.Single(stored.Ratings);
        Assert.Equal(4, rating.Score);
        Assert.Equal("Quick and friendly <b>thanks</b>", rating.Comment);
        Assert.Equal(alice.Agent.Id, rating.AgentId);

        // After a reload the rated chat does not ask again.
        await page.ReloadAsync();
        await Assertions.Expect(page.CustomerBubbles()).ToHaveCountAsync(1);
        await page.Launcher().ClickAsync();
        await Assertions.Expect(page.AgentBubbles()).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-rating")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Reload_HistoryComesBack_WithoutPreChatOrDuplicates()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("Hana History", "Support");
        await page.SendAsync("My tracking number doesn't work.");
        var conversation = await _host.WaitForConversationAsync();
        await alice.ReplyAsync(conversation.Id.Value, "Try again tomorrow — the carrier updates overnight.");
        await Assertions.Expect(page.AgentBubbles()).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await page.Launcher().ClickAsync();

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat")).ToBeHiddenAsync();
        await Assertions.Expect(page.CustomerBubbles()).ToHaveTextAsync(["My tracking number doesn't work."]);
        await Assertions.Expect(page.AgentBubbles()).ToHaveTextAsync(["Try again tomorrow — the carrier updates overnight."]);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-subtitle")).ToHaveTextAsync("You're chatting with Alice Martin");
        await page.ShotAsync("widget-8-history-after-reload");
    }

    [Fact]
    public async Task NetworkDrop_MessagesQueuedOffline_DeliveredOnceWhenBack_NothingLostOrDoubled()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("Nora Network", "Support");
        await page.SendAsync("First, while online");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(1);
        var conversation = await _host.WaitForConversationAsync();

        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-banner")).ToContainTextAsync("offline");
        await page.SendAsync("Second, written offline");
        await page.SendAsync("Third, also offline");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=queued]")).ToHaveCountAsync(2);
        await alice.ReplyAsync(conversation.Id.Value, "Reply sent while you were offline");
        await page.ShotAsync("widget-9-offline");
        Assert.Equal(["First, while online"], await _host.InboundTextsAsync());

        await page.Context.SetOfflineAsync(false);

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.CustomerBubbles()).ToHaveTextAsync(["First, while online", "Second, written offline", "Third, also offline"]);
        await Assertions.Expect(page.AgentBubbles()).ToHaveTextAsync(["Reply sent while you were offline"]);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-banner")).ToBeHiddenAsync();
        await page.ShotAsync("widget-10-back-online");
        Assert.Equal(["First, while online", "Second, written offline", "Third, also offline"], await _host.InboundTextsAsync());

        // And a reload shows each message exactly once.
        await page.ReloadAsync();
        await page.Launcher().ClickAsync();
        await Assertions.Expect(page.CustomerBubbles()).ToHaveCountAsync(3);
        await Assertions.Expect(page.AgentBubbles()).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ScriptPayloads_FromCustomerAndAgent_RenderAsText_NothingRuns()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("<img src=x onerror=\"window.__pwned='name'\">", "Support");
        const string customerPayload = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> javascript:window.__pwned=3";
        const string agentPayload = "<svg onload=\"window.__pwned=4\"></svg><a href=\"javascript:window.__pwned=5\">click</a> https://example.com/ok";

        await page.SendAsync(customerPayload);
        var conversation = await _host.WaitForConversationAsync();
        await alice.ReplyAsync(conversation.Id.Value, agentPayload);

        await Assertions.Expect(page.CustomerBubbles()).ToHaveTextAsync([customerPayload]);
        await Assertions.Expect(page.AgentBubbles()).ToHaveTextAsync([agentPayload]);
        Assert.Equal(0, await page.Locator("contactcenter-chat .cc-log img, contactcenter-chat .cc-log script, contactcenter-chat .cc-log svg").CountAsync());
        // Only the real http(s) URL became a link.
        var links = page.Locator("contactcenter-chat .cc-log .cc-bubble a");
        await Assertions.Expect(links).ToHaveCountAsync(1);
        Assert.Equal("https://example.com/ok", await links.GetAttributeAsync("href"));
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
        await page.ShotAsync("widget-11-script-as-text");

        Assert.Equal([customerPayload], await _host.InboundTextsAsync());
    }

    [Fact]
    public async Task Attachments_ImageAndPdfFromTheWidget_ShownStoredAndOpenToStaff_DisguisedFileRefused()
    {
        await using var alice = await _host.ConnectAgentAsync("alice@test.local", "Alice Martin", _support.Id);
        var page = await browser.OpenAsync(Shop());
        await page.StartChatAsync("Ada Attach", "Support");
        var picker = page.Locator("contactcenter-chat input.cc-file");

        await picker.SetInputFilesAsync(new FilePayload { Name = "broken-chain.png", MimeType = "image/png", Buffer = TestImages.GradientPng() });
        var image = page.Locator("contactcenter-chat .cc-item--customer[data-status=sent] img.cc-attachment-image");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await picker.SetInputFilesAsync(new FilePayload { Name = "receipt.pdf", MimeType = "application/pdf", Buffer = TestImages.MinimalPdf() });
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent] .cc-attachment--file")).ToContainTextAsync("receipt.pdf");
        // An HTML page dressed up as a picture: the browser believes the name, the server checks the bytes.
        await picker.SetInputFilesAsync(new FilePayload { Name = "cute-cat.png", MimeType = "image/png", Buffer = System.Text.Encoding.UTF8.GetBytes("<html><script>window.__pwned=1</script></html>") });
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=failed] .cc-failure")).ToContainTextAsync("Only images (PNG, JPEG, GIF, WebP) and PDF documents can be sent.");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=failed] .cc-attachment--file")).ToContainTextAsync("cute-cat.png");
        await page.ShotAsync("widget-17-attachments");
        await page.Locator("contactcenter-chat .cc-failure button").Filter(new() { HasText = "Remove" }).ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=failed]")).ToHaveCountAsync(0);

        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.Direction == MessageDirection.Inbound).OrderBy(m => m.CreatedAt).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal(["image/png", "application/pdf"], stored.Select(m => Assert.Single(m.Attachments).ContentType).ToArray());
        Assert.Equal(["broken-chain.png", "receipt.pdf"], stored.Select(m => m.Attachments[0].FileName).ToArray());

        // Staff open it with their sign-in; after a reload the customer's picture comes back (fetched with the visitor token).
        using (var staff = _host.CreateRealClient(await _host.SignInAsync("alice@test.local")))
        {
            using var file = await staff.GetAsync($"files/{stored[0].Attachments[0].StorageKey}");
            Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("image/png", file.Content.Headers.ContentType?.MediaType);
        }

        await page.ReloadAsync();
        await page.Launcher().ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat img.cc-attachment-image")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        Assert.True(await page.Locator("contactcenter-chat img.cc-attachment-image").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 240"));
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
    }
}
