using System.Net.Http.Json;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

/// <summary>The server-paged, virtualised inbox with 10,000 conversations, in headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleLargeInboxTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Generated = 10_000;
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, support.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, support.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<HubConnection> CustomerSaysAsync(string name, string clientId, string text) => _host.CustomerSaysAsync(_inbox, name, clientId, text);

    [Fact]
    public async Task TenThousandConversations_ScrollToTheBottomShowsTheLast_NewCustomerMessageAppearsAtTheTopLive()
    {
        await using (await CustomerSaysAsync("Template Tina", "t-1", "The first of many"))
        {
        }

        // 10,000 more conversations like Tina's, older than hers; #100001 is the oldest so the list's last row.
        var oldest = DateTimeOffset.UtcNow.AddDays(-30);
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ContactCenter.Infrastructure.Persistence.ContactCenterDbContext>();
            var template = await db.Conversations.Select(c => c.Number).SingleAsync();
            await BulkConversations.InsertCopiesAsync(db, template, Enumerable.Range(1, Generated).Select(i =>
                new BulkConversations.Row(Guid.NewGuid(), 100_000 + i, oldest.AddMinutes(i), Priority.Normal, $"Generated {100_000 + i}")));
        });

        var (context, page) = await browser.SignInToConsoleAsync(_host, "alice@test.local");
        await using var _ = context;
        await page.GetByRole(AriaRole.Tab, new() { Name = "All" }).ClickAsync();
        var list = page.GetByTestId("inbox-list");
        await Assertions.Expect(list).ToHaveAttributeAsync("data-total", (Generated + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(await page.GetByTestId("inbox-item").CountAsync(), 1, 200); // only a window is in the page

        // To the bottom with the mouse wheel (once the list is as tall as its 10,001 rows): the last conversation is shown.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=inbox-list]').scrollHeight > 700000");
        await list.HoverAsync();
        await page.Mouse.WheelAsync(0, 2_000_000);
        await page.WaitForFunctionAsync("() => { const l = document.querySelector('[data-testid=inbox-list]'); return l.scrollTop + l.clientHeight >= l.scrollHeight - 2; }");
        var last = page.Locator("[data-testid=inbox-item]", new() { HasText = "#100001" });
        try
        {
            await Assertions.Expect(last).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            var diag = await page.EvaluateAsync<string>("() => { const l = document.querySelector('[data-testid=inbox-list]'); const items = [...l.querySelectorAll('[data-testid=inbox-item]')].map(i => i.textContent.match(/#\\d+/)?.[0]); return JSON.stringify({ top: l.scrollTop, h: l.scrollHeight, ch: l.clientHeight, total: l.dataset.total, ph: l.querySelectorAll('[data-testid=inbox-placeholder]').length, items: items.slice(0, 5), n: items.length, html: l.innerHTML.slice(0, 300) }); }");
            throw new Xunit.Sdk.XunitException("The last conversation is not shown at the bottom: " + diag);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-10000-bottom") });

        // A new customer writes in: the total goes up live, and back at the top the conversation is first.
        await using var newcomer = await CustomerSaysAsync("Nina Newcomer", "n-1", "Hello from the newest customer");
        await Assertions.Expect(list).ToHaveAttributeAsync("data-total", (Generated + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await list.HoverAsync();
        await page.Mouse.WheelAsync(0, -2_000_000);
        await Assertions.Expect(page.GetByTestId("inbox-item").First).ToContainTextAsync("Nina Newcomer");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-10000-live") });
    }
}
