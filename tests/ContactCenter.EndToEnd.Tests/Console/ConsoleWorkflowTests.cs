using System.Net.Http.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

/// <summary>The console's main flows in headless Chromium: offers, notes, tags, transfer, shortcuts, language and theme, two consoles at once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleWorkflowTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Team _support = default!;
    private Team _billing = default!;
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _support = await _host.CreateTeamAsync("Support");
        _billing = await _host.CreateTeamAsync("Billing");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, _support.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, _support.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<(IBrowserContext Context, IPage Page)> SignInAsync(string email) => browser.SignInToConsoleAsync(_host, email);

    private async Task<(HubConnection Connection, List<ChatMessageDto> Received)> CustomerAsync(string name)
    {
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, name));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        var connection = _host.CustomerConnection(session.VisitorToken);
        var received = new List<ChatMessageDto>();
        connection.On<ChatMessageDto>(nameof(IChatClient.MessageReceived), m =>
        {
            lock (received)
            {
                received.Add(m);
            }
        });
        await connection.StartAsync().Within("customer connect");
        return (connection, received);
    }

    private static ILocator Composer(IPage page) => ConsoleBrowser.Composer(page);

    [Fact]
    public async Task CannedResponse_SlashShortcut_InsertsTheAnswerFilledIn_AndTheCustomerGetsIt()
    {
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ContactCenter.Application.Replies.ICannedResponseDbContext>();
            db.CannedResponses.Add(ContactCenter.Domain.Replies.CannedResponse.Create(
                "hi", "Greeting", "Hi {{contact.first_name}}, I'm {{agent.name}} and I'll help you with this.", null, DateTimeOffset.UtcNow).Value);
            db.CannedResponses.Add(ContactCenter.Domain.Replies.CannedResponse.Create(
                "returns", "Returns policy", "Returns are free within 30 days.", _billing.Id, DateTimeOffset.UtcNow).Value);
            await db.SaveChangesAsync();
        });
        var (context, page) = await SignInAsync("alice@test.local");
        await using var _ = context;
        var (customer, received) = await CustomerAsync("Carla Canned");
        await using var __ = customer;
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Hello, can you help?")).Within("send");
        await page.GetByTestId("inbox-item").Filter(new() { HasText = "Carla Canned" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "can you help" })).ToBeVisibleAsync();

        await Composer(page).FillAsync("/h");

        // Only answers for everyone and Alice's team (Support): the Billing one is not offered.
        var items = page.GetByTestId("canned-item");
        await Assertions.Expect(items).ToHaveCountAsync(1);
        await Assertions.Expect(items.First).ToContainTextAsync("/hi");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-canned-responses") });
        await items.First.ClickAsync();
        await Assertions.Expect(Composer(page)).ToHaveValueAsync("Hi Carla, I'm Alice Martin and I'll help you with this.");
        await page.GetByTestId("send").ClickAsync();

        await Waits.UntilAsync(() => Task.FromResult(received.ToList().Any(m => m.Text == "Hi Carla, I'm Alice Martin and I'll help you with this.")),
            "the canned answer at the customer");
    }

    [Fact]
    public async Task OfferMode_AgentSeesCountdown_AcceptsWithTheButton_AndTheConversationOpens()
    {
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var team = await db.Teams.SingleAsync(t => t.Id == _support.Id);
            team.ConfigureOffers(AssignmentMode.Offer, 60);
            await db.SaveChangesAsync();
        });
        var (context, page) = await SignInAsync("alice@test.local");
        await using var _ = context;
        var (customer, _) = await CustomerAsync("Olga Offer");
        await using var __ = customer;
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Is the blue jacket back in stock?")).Within("send");

        var offer = page.GetByTestId("offer");
        await Assertions.Expect(offer).ToContainTextAsync("Olga Offer");
        await Assertions.Expect(page.GetByTestId("offer-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(5\\d|60)$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-offer") });

        await page.GetByTestId("offer-accept").ClickAsync();

        await Assertions.Expect(page.GetByTestId("offers")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "blue jacket" })).ToBeVisibleAsync();
        await Waits.UntilAsync(async () => await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AnyAsync(c => c.AssigneeId != null)), "the accepted assignment");
    }

    [Fact]
    public async Task PrivateNote_TagAndTransfer_FromTheConsole_CustomerNeverSeesTheNote()
    {
        var (context, page) = await SignInAsync("alice@test.local");
        await using var _ = context;
        var (customer, received) = await CustomerAsync("Nina Note");
        await using var __ = customer;
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "I was charged twice for INV-2291")).Within("send");
        var item = page.GetByTestId("inbox-item").Filter(new() { HasText = "Nina Note" });
        await item.ClickAsync();

        // Customer typing shows in the header.
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "charged twice" })).ToBeVisibleAsync();
        await Waits.UntilAsync(
            async () =>
            {
                // Widgets repeat "typing" while the customer types; the console shows it once it watches the conversation.
                await customer.InvokeAsync(nameof(ChatHub.Typing), true);
                return await page.GetByTestId("customer-typing").IsVisibleAsync();
            },
            "the typing indicator");

        // A private note: shown to staff, never to the customer.
        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("private-toggle").ClickAsync();
        await Composer(page).FillAsync("Looks like a duplicate authorisation; checking with finance.");
        await page.GetByTestId("send").ClickAsync();
        await Assertions.Expect(page.Locator(".cc-message.note").Filter(new() { HasText = "duplicate authorisation" })).ToBeVisibleAsync();

        // A tag.
        await page.GetByTestId("tag-input").FillAsync("Billing");
        await page.GetByTestId("tag-input").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("tag").Filter(new() { HasText = "billing" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-note-and-tag") });

        // Transfer to the Billing team with a note.
        await page.GetByTestId("transfer").ClickAsync();
        await page.GetByTestId("transfer-team").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Billing" }).ClickAsync();
        await page.GetByTestId("transfer-go").ClickAsync();
        await Waits.UntilAsync(async () => await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations
            .AnyAsync(c => c.Id == new ConversationId(sent.ConversationId) && c.TeamId == _billing.Id)), "the transfer to Billing");

        lock (received)
        {
            Assert.DoesNotContain(received, m => m.Text.Contains("duplicate authorisation", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TwoConsoles_SeeEachOthersChangesLive()
    {
        await _host.CreateAgentAsync("bob@test.local", "Bob Chen", Domain.Agents.StaffRole.Agent, _support.Id);
        var (aliceContext, alice) = await SignInAsync("alice@test.local");
        await using var _ = aliceContext;
        var (bobContext, bob) = await SignInAsync("bob@test.local");
        await using var __ = bobContext;
        await alice.GetByTestId("presence").ClickAsync();
        await alice.GetByRole(AriaRole.Option, new() { Name = "Away" }).ClickAsync();
        await bob.GetByTestId("presence").ClickAsync();
        await bob.GetByRole(AriaRole.Option, new() { Name = "Away" }).ClickAsync();
        await Waits.UntilAsync(async () => await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.CountAsync(a => a.Presence == Domain.Agents.Presence.Away)) == 2, "both agents away");

        // Nobody is online: the chat waits, visible to both in Unassigned.
        var (customer, _) = await CustomerAsync("Walter Waiting");
        await using var ___ = customer;
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Hello?")).Within("send");
        foreach (var page in new[] { alice, bob })
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = "Unassigned" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("inbox-item").Filter(new() { HasText = "Walter Waiting" })).ToBeVisibleAsync();
        }

        // Alice takes it with the keyboard (select with j, take with t); Bob's list drops it live.
        await alice.Locator("body").ClickAsync(new() { Position = new Position { X = 700, Y = 400 } });
        await alice.Keyboard.PressAsync("j");
        await Assertions.Expect(alice.GetByTestId("conversation")).ToContainTextAsync("Walter Waiting");
        await alice.Keyboard.PressAsync("t");
        await Assertions.Expect(bob.GetByTestId("inbox-item").Filter(new() { HasText = "Walter Waiting" })).ToHaveCountAsync(0);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-second-agent") });
    }

    [Fact]
    public async Task ShortcutHelp_ChineseAndDarkMode_Render()
    {
        var (context, page) = await SignInAsync("alice@test.local");
        await using var _ = context;
        await page.Locator("body").ClickAsync(new() { Position = new Position { X = 700, Y = 400 } });
        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.GetByTestId("shortcut-help")).ToContainTextAsync("Next conversation");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-shortcuts") });
        await page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(page.GetByTestId("shortcut-help")).ToHaveCountAsync(0);
        var switched = page.WaitForResponseAsync(r => r.Url.Contains("/culture/zh-CN", StringComparison.Ordinal));
        await page.GetByTestId("language").ClickAsync();
        await switched;
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Assertions.Expect(page.GetByTestId("inbox")).ToContainTextAsync("我的", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync(); // the reloaded page's circuit is live
        await page.GetByTestId("dark-mode").ClickAsync();
        await Assertions.Expect(page.Locator(".cc-console-left")).Not.ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-zh-dark") });
    }
}
