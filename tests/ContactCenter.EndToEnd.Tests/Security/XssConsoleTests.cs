using System.Net.Http.Json;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Security;

/// <summary>
/// An XSS corpus sent by a customer through the chat hub (and as the contact's name), rendered in the agent console
/// in headless Chromium: no payload runs (no dialog, no window flag, no console message from a payload).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssConsoleTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly string[] Corpus =
    [
        "<script>window.__xss=1;alert('script')</script>",
        "<img src=x onerror=\"window.__xss=2;alert('img')\">",
        "<svg onload=\"window.__xss=3;alert('svg')\"></svg>",
        "<a href=\"javascript:window.__xss=4;alert('href')\">click me</a>",
        "<div style=\"background:url(javascript:window.__xss=5)\">css url</div>",
        "<div style=\"width:expression(window.__xss=6)\">css expression</div>",
        "&lt;script&gt;window.__xss=7&lt;/script&gt; &#60;img src=x onerror=alert(8)&#62;",
        "<iframe srcdoc=\"<script>parent.__xss=9</script>\"></iframe>",
        "你好 <b onmouseover=\"window.__xss=10\">订单</b> 没有到",
    ];

    private readonly ContactCenterHost _host = new();
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ChatAndContactName_XssCorpus_NothingRunsInTheConsole()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, d) =>
        {
            dialogs.Add(d.Message);
            await d.DismissAsync();
        };

        await page.GotoAsync("/console");
        await page.GetByLabel("Email").FillAsync("alice@test.local");
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync();

        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions",
            new WidgetSessionRequest(_inbox.Id.Value, null, "Eve <img src=x onerror=\"window.__xss=99\">"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("the customer to connect");
        foreach (var payload in Corpus)
        {
            await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString(), payload)).Within("send");
        }

        var item = page.GetByTestId("inbox-item").Filter(new() { HasText = "Eve" });
        await item.ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "没有到" })).ToBeVisibleAsync();
        await page.GetByTestId("message").Filter(new() { HasText = "订单" }).HoverAsync();
        await page.GetByTestId("message").Filter(new() { HasText = "click me" }).HoverAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("xss-console"), FullPage = true });

        Assert.Empty(dialogs);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        // The payloads are shown as text, not turned into elements.
        Assert.Equal(0, await page.Locator("[data-testid=message] img[src=x], [data-testid=message] svg[onload], [data-testid=message] iframe").CountAsync());
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "<script>window.__xss=1" })).ToBeVisibleAsync();
    }
}
