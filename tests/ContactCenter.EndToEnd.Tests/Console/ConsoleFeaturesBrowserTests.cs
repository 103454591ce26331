using System.Net.Http.Json;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

/// <summary>Search in messages, filters, the contact panel, @mentions between two consoles and the transcript, in headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleFeaturesBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Team _support = default!;
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _support = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, _support.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, _support.Id);
        await _host.CreateAgentAsync("bob@test.local", "Bob Chen", Domain.Agents.StaffRole.Agent, _support.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<(IBrowserContext Context, IPage Page)> SignInAsync(string email) => browser.SignInToConsoleAsync(_host, email);

    private Task<HubConnection> CustomerSaysAsync(string name, string clientId, string text) => _host.CustomerSaysAsync(_inbox, name, clientId, text);

    private static ILocator Composer(IPage page) => ConsoleBrowser.Composer(page);

    [Fact]
    public async Task SearchContactPanelMentionAndTranscript_AcrossTwoConsoles()
    {
        var (aliceContext, alice) = await SignInAsync("alice@test.local");
        await using var _ = aliceContext;
        var (bobContext, bob) = await SignInAsync("bob@test.local");
        await using var __ = bobContext;
        await using var olga = await CustomerSaysAsync("Olga Petrova", "o-1", "My parcel 88-ZT never came");
        await using var tom = await CustomerSaysAsync("Tom Baker", "t-1", "Can I change my address?");

        // Search finds words inside messages; a channel filter narrows the list.
        await alice.GetByRole(AriaRole.Tab, new() { Name = "All" }).ClickAsync();
        await Assertions.Expect(alice.GetByTestId("inbox-item")).ToHaveCountAsync(2);
        await alice.GetByTestId("filters-toggle").ClickAsync();
        await alice.GetByTestId("filter-channel").ClickAsync();
        await alice.GetByRole(AriaRole.Option, new() { Name = "Email" }).ClickAsync();
        await Assertions.Expect(alice.GetByTestId("inbox-empty")).ToBeVisibleAsync();
        await Assertions.Expect(alice.GetByTestId("filters-toggle")).ToContainTextAsync("(1)");
        await alice.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-filters") });
        await alice.GetByTestId("filters-clear").ClickAsync();
        await Assertions.Expect(alice.GetByTestId("inbox-item")).ToHaveCountAsync(2);
        await alice.Locator("[data-testid=search] input, input[data-testid=search]").First.FillAsync("88-zt");
        await Assertions.Expect(alice.GetByTestId("inbox-item")).ToHaveCountAsync(1);
        await Assertions.Expect(alice.GetByTestId("inbox-item")).ToContainTextAsync("Olga Petrova");

        // The contact panel beside the conversation.
        await alice.GetByTestId("inbox-item").First.ClickAsync();
        await Assertions.Expect(alice.GetByTestId("contact-name")).ToHaveTextAsync("Olga Petrova");
        await Assertions.Expect(alice.GetByTestId("contact-conversation")).ToHaveCountAsync(1);
        await alice.GetByTestId("contact-edit").ClickAsync();
        await alice.Locator("textarea[data-testid=contact-notes-input], [data-testid=contact-notes-input] textarea").First.FillAsync("Ships to the office, not home");
        await alice.GetByTestId("contact-save").ClickAsync();
        await Assertions.Expect(alice.GetByTestId("contact-notes")).ToHaveTextAsync("Ships to the office, not home");
        await alice.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-search-contact-panel") });

        // A private note mentioning Bob reaches Bob's console live and lands in his Mentions view.
        var conversationId = await alice.GetByTestId("inbox-item").First.GetAttributeAsync("data-conversation");
        await alice.GetByTestId("private-toggle").ClickAsync();
        await Composer(alice).FillAsync("Please check the depot @Bo");
        await Assertions.Expect(alice.GetByTestId("mention-item")).ToContainTextAsync("Bob Chen");
        await alice.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-mention-autocomplete") });
        await alice.GetByTestId("mention-item").First.ClickAsync();
        await Assertions.Expect(Composer(alice)).ToHaveValueAsync("Please check the depot @Bob Chen ");
        await alice.GetByTestId("send").ClickAsync();

        await Assertions.Expect(bob.Locator(".mud-snackbar")).ToContainTextAsync("mentioned you");
        await bob.GetByRole(AriaRole.Tab, new() { Name = "Mentions" }).ClickAsync();
        await Assertions.Expect(bob.GetByTestId("inbox-item")).ToHaveCountAsync(1);
        await Assertions.Expect(bob.GetByTestId("inbox-item")).ToContainTextAsync("Olga Petrova");
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-mentions-view") });

        // The printable transcript, and its .txt download (without private notes unless asked).
        var transcript = await aliceContext.NewPageAsync();
        await transcript.GotoAsync($"/console/conversations/{conversationId}/transcript");
        await Assertions.Expect(transcript.Locator("[data-testid=transcript][data-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(transcript.GetByTestId("transcript-message")).ToHaveCountAsync(1);
        await Assertions.Expect(transcript.GetByTestId("transcript-message")).ToContainTextAsync("88-ZT");
        await transcript.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-transcript") });
        var download = await transcript.RunAndWaitForDownloadAsync(() => transcript.GetByTestId("transcript-txt").ClickAsync());
        var path = await download.PathAsync();
        var text = await File.ReadAllTextAsync(path!);
        Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains("My parcel 88-ZT never came", text, StringComparison.Ordinal);
        Assert.DoesNotContain("depot", text, StringComparison.Ordinal);
    }
}
