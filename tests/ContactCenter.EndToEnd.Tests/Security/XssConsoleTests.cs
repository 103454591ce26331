using System.Net.Http.Json;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Channels.Email;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Security;

/// <summary>
/// The XSS corpus (<see cref="XssCorpus"/>) sent by customers through the chat hub, as the contact's name and as hostile
/// HTML emails through the real email ingest, rendered in the agent console in headless Chromium: no payload runs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssConsoleTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new();
    private Domain.Inboxes.Inbox _inbox = default!;
    private Domain.Inboxes.Inbox _mail = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        _mail = await _host.CreateInboxAsync("Support mail", ChannelKind.Email, team.Id);
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == _mail.Id);
            inbox.SetSetting(EmailSettings.Address, "support@shop.test");
            await db.SaveChangesAsync();
        });
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(IPage Page, XssProbe Probe)> SignedInConsoleAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var probe = await XssProbe.AttachAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console");
        await page.GetByLabel("Email").FillAsync("alice@test.local");
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync();
        return (page, probe);
    }

    [Fact]
    public async Task ChatAndContactName_XssCorpus_NothingRunsInTheConsole()
    {
        var (page, probe) = await SignedInConsoleAsync();

        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions",
            new WidgetSessionRequest(_inbox.Id.Value, null, "Eve <img src=x onerror=\"window.__xss=99\">"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("the customer to connect");
        foreach (var payload in XssCorpus.Text)
        {
            await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString(), payload)).Within("send");
        }

        var item = page.GetByTestId("inbox-item").Filter(new() { HasText = "Eve" });
        await item.ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "example.com/ok" })).ToBeVisibleAsync();
        await page.GetByTestId("message").Filter(new() { HasText = "订单" }).HoverAsync();
        await page.GetByTestId("message").Filter(new() { HasText = "click me" }).HoverAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("xss-console"), FullPage = true });

        await probe.AssertNothingRanAsync(page);
        // The payloads are shown as text, not turned into elements.
        Assert.Equal(0, await page.Locator("[data-testid=message] img[src=x], [data-testid=message] svg, [data-testid=message] iframe, [data-testid=message] script").CountAsync());
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "<script>window.__xss=1" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Hostile HTML emails (one thread) through the real ingest path (<see cref="EmailIngest"/>, as the SMTP receiver and IMAP
    /// poller call it): the console shows the agent text of each; the sanitised HTML the ingest stored (what the API hands to
    /// integrations) is then rendered as a page of its own without any CSP: nothing runs, loads from the attacker, or survives
    /// as a frame, object, meta refresh, base, form, style or a link other than http(s)/mailto.
    /// </summary>
    [Fact]
    public async Task EmailHtml_XssCorpus_NothingRunsInTheConsole_SanitisedHtmlInert()
    {
        var (page, probe) = await SignedInConsoleAsync();
        var first = "<xss-0@mallory.test>";
        for (var i = 0; i < XssCorpus.EmailHtml.Length; i++)
        {
            var raw = Encoding.UTF8.GetBytes(string.Join("\r\n",
                "From: Mallory <mallory@mallory.test>",
                "To: support@shop.test",
                $"Subject: {(i == 0 ? "" : "Re: ")}Invoice question",
                $"Message-ID: <xss-{i}@mallory.test>",
                i == 0 ? "X-First: yes" : $"In-Reply-To: {first}",
                "MIME-Version: 1.0",
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
                "",
                "<html><head><title>t</title></head><body>" + XssCorpus.EmailHtml[i] + "</body></html>",
                ""));
            var outcome = await _host.InScopeAsync(sp => sp.GetRequiredService<EmailIngest>().IngestAsync(_mail.Id, raw, "test", CancellationToken.None)).Within("ingest");
            Assert.Equal(EmailOutcomeKind.Filed, outcome.Kind);
        }

        await page.GetByTestId("inbox-item").Filter(new() { HasText = "Mallory" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "x14" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToHaveCountAsync(XssCorpus.EmailHtml.Length);
        await page.GetByTestId("message").Filter(new() { HasText = "x13" }).HoverAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("xss-console-email"), FullPage = true });
        await probe.AssertNothingRanAsync(page);
        Assert.Equal(0, await page.Locator("[data-testid=messages] :is(script, iframe, object, embed, meta, base, form, style, link), [data-testid=message] .cc-bubble-text *").CountAsync());

        // The sanitised HTML as stored, rendered bare (no CSP, no app around it).
        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.InboxId == _mail.Id && m.Direction == MessageDirection.Inbound).Select(m => m.Html).ToListAsync());
        Assert.Equal(XssCorpus.EmailHtml.Length, stored.Count);
        var bare = await page.Context.NewPageAsync();
        await bare.SetContentAsync("<!DOCTYPE html><html><body>" + string.Join("<hr>", stored) + "</body></html>");
        await bare.Locator("div, p, td").Filter(new() { HasText = "hover" }).Last.HoverAsync();
        await bare.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("xss-email-sanitised"), FullPage = true });
        await probe.AssertNothingRanAsync(bare);
        Assert.Empty(await bare.EvaluateAsync<string[]>("() => [...document.querySelectorAll('script, iframe, object, embed, meta, base, form, input, button, svg, math, style, link')].map(e => e.outerHTML)"));
        Assert.Equal(0, await bare.EvaluateAsync<int>("() => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on') || /^\\s*(javascript|data|vbscript):/i.test(a.value))).length"));
        var hrefs = await bare.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))");
        Assert.All(hrefs, h => Assert.Matches("^(https?:|mailto:|[^:]*$)", h)); // a scheme only when http(s) or mailto
        Assert.Contains("mailto:help@example.com", hrefs);
        await Assertions.Expect(bare.GetByText("x12 <script>window.__xss=112</script>", new() { Exact = false })).ToBeVisibleAsync();
    }
}
