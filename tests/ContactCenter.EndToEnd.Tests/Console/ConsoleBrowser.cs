using System.Net.Http.Json;
using ContactCenter.Application.Realtime;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

public static class ConsoleBrowser
{
    /// <summary>
    /// Signs an agent in through the real form into a fresh browser context (1400×860, downloads allowed) and waits until
    /// the console is live: its own hub connection is up and its shortcuts are registered.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignInToConsoleAsync(this BrowserFixture browser, ContactCenterHost host, string email)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(host);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 860 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fconsole");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console");
        await Assertions.Expect(page.GetByTestId("inbox")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync();
        return (context, page);
    }

    /// <summary>The composer's textarea.</summary>
    public static ILocator Composer(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator("textarea[data-testid=composer], [data-testid=composer] textarea").First;
    }

    /// <summary>A customer opens a widget session on the inbox and sends one message; the connection stays open for more.</summary>
    public static async Task<HubConnection> CustomerSaysAsync(this ContactCenterHost host, Domain.Inboxes.Inbox inbox, string name, string clientId, string text)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(inbox);
        using var http = host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inbox.Id.Value, null, name));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        var connection = host.CustomerConnection(session.VisitorToken);
        await connection.StartAsync().Within("customer connect");
        await connection.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(clientId, text)).Within("customer send");
        return connection;
    }
}
