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
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(host);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = locale,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fsupervisor");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/supervisor");
        await Assertions.Expect(page.GetByTestId("updated-at")).ToBeVisibleAsync();
        return page;
    }
}
