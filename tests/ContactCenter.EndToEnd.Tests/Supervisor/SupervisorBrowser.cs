using ContactCenter.Testing;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Supervisor;

public static class SupervisorBrowser
{
    /// <summary>
    /// Signs a supervisor in through the real form into a fresh browser context (dispose it via <c>page.Context</c>) and
    /// waits for the dashboard's first snapshot: it is rendered after the page's hub connection is up, so from then on changes arrive live.
    /// </summary>
    public static async Task<IPage> OpenSupervisorDashboardAsync(this BrowserFixture browser, ContactCenterHost host, string email, string? locale = null)
    {
        var page = await browser.SignInToAsync(host, email, "/supervisor", locale);
        await Assertions.Expect(page.GetByTestId("updated-at")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Signs a staff member in through the real form into a fresh browser context (dispose it via <c>page.Context</c>), landing on <paramref name="path"/>.</summary>
    public static async Task<IPage> SignInToAsync(this BrowserFixture browser, ContactCenterHost host, string email, string path, string? locale = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(host);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = locale,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=" + Uri.EscapeDataString(path));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**" + path);
        return page;
    }
}
