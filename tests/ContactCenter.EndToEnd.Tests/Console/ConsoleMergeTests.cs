using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

/// <summary>A supervisor merges a customer's duplicate email ticket into the first one from the console.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleMergeTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Team _support = default!;
    private Domain.Inboxes.Inbox _email = default!;

    public async Task InitializeAsync()
    {
        _support = await _host.CreateTeamAsync("Support");
        _email = await _host.CreateInboxAsync("Support mail", ChannelKind.Email, _support.Id);
        await _host.CreateAgentAsync("sam@test.local", "Sam Supervisor", Domain.Agents.StaffRole.Supervisor, _support.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<InboundResult> ReceiveAsync(string externalId, string text) =>
        _host.InScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
                new InboundMessage(_email.Id, ContactIdentity.Create(IdentityKind.Email, "maria@example.com"), "Maria Duplicate", externalId, text),
                CancellationToken.None);
            Assert.True(result.IsSuccess, result.Error?.Message);
            return result.Value;
        });

    [Fact]
    public async Task Merge_FromTheConsole_TargetShowsBothThreads_SourceLeavesTheList()
    {
        var first = await ReceiveAsync("<first@mail>", "My parcel never arrived (order 5521)");
        await Task.Delay(50);
        var second = await ReceiveAsync("<second@mail>", "Following up: still no parcel for order 5521");
        Assert.True(second.NewConversation);

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 860 },
        });
        await using var _ = context;
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fconsole");
        await page.GetByLabel("Email").FillAsync("sam@test.local");
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console");
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync();
        // Look at every conversation whoever holds it: the router may already have given both to Sam (who is Online in
        // Support), so the default view (unassigned) can be empty by the time the list loads.
        var items = page.GetByTestId("inbox-item").Filter(new() { HasText = "Maria Duplicate" });
        var all = page.GetByRole(AriaRole.Tab, new() { Name = "All", Exact = true });
        await all.ClickAsync();
        await Assertions.Expect(all).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(items.First).ToBeVisibleAsync();

        // Open the follow-up (the duplicate) and merge it into the first ticket.
        await Assertions.Expect(items).ToHaveCountAsync(2);
        await page.Locator($"[data-testid=inbox-item][data-conversation='{second.ConversationId.Value}']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "Following up" })).ToBeVisibleAsync();
        await page.GetByTestId("merge").ClickAsync();
        var candidate = page.Locator($"[data-testid=merge-candidate][data-conversation='{first.ConversationId.Value}']");
        await Assertions.Expect(candidate).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("merge-candidate")).ToHaveCountAsync(1);
        await candidate.GetByTestId("merge-go").ClickAsync();

        // The target opens with both threads, oldest first, and the merge note.
        var messages = page.GetByTestId("message");
        await Assertions.Expect(messages.Filter(new() { HasText = "Merged #" })).ToBeVisibleAsync();
        await Assertions.Expect(messages).ToHaveCountAsync(3);
        await Assertions.Expect(messages.Nth(0)).ToContainTextAsync("never arrived");
        await Assertions.Expect(messages.Nth(1)).ToContainTextAsync("Following up");
        await Assertions.Expect(page.Locator(".cc-message.note").Filter(new() { HasText = "into this conversation" })).ToBeVisibleAsync();
        await Assertions.Expect(items).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"[data-testid=inbox-item][data-conversation='{first.ConversationId.Value}']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-merge") });

        var source = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == second.ConversationId));
        Assert.Equal(ConversationStatus.Closed, source.Status);
        Assert.Equal(first.ConversationId, source.MergedIntoId);
    }
}
