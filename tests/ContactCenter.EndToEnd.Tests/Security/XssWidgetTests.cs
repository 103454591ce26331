using ContactCenter.EndToEnd.Tests.Widget;
using ContactCenter.Testing;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Security;

/// <summary>
/// The XSS corpus in the customers' widget on a third-party page: typed by the customer and sent back by an agent, every
/// payload shows literally (text, never markup), nothing runs, and the only links made are http(s)/mailto with rel=noopener.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssWidgetTests(BrowserFixture browser) : WidgetShopTestBase
{
    [Fact]
    public async Task CustomerMessagesAndAgentReplies_XssCorpus_ShownAsText_NothingRuns()
    {
        await using var alice = await Host.ConnectAgentAsync("alice@test.local", "Alice Martin", Support.Id);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        var probe = await XssProbe.AttachAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Shop().ToString());
        await page.StartChatAsync("Eve <img src=x onerror=\"window.__xss=98\">");

        foreach (var payload in XssCorpus.Text)
        {
            await page.SendAsync(payload);
        }

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(XssCorpus.Text.Length);
        var conversation = await Host.WaitForConversationAsync();
        foreach (var payload in XssCorpus.Text)
        {
            await alice.ReplyAsync(conversation.Id.Value, payload);
        }

        await Assertions.Expect(page.AgentBubbles()).ToHaveCountAsync(XssCorpus.Text.Length);
        await page.AgentBubbles().Filter(new() { HasText = "订单" }).HoverAsync();
        await page.CustomerBubbles().Filter(new() { HasText = "click me" }).HoverAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("xss-widget"), FullPage = true });

        await probe.AssertNothingRanAsync(page);
        Assert.Equal(XssCorpus.Text, await page.CustomerBubbles().AllTextContentsAsync());
        Assert.Equal(XssCorpus.Text, await page.AgentBubbles().AllTextContentsAsync());
        Assert.Equal(0, await page.Locator("contactcenter-chat .cc-bubble :is(script, img, svg, iframe, b, div, style)").CountAsync());
        var links = page.Locator("contactcenter-chat .cc-bubble a");
        Assert.Equal(2, await links.CountAsync()); // https://example.com/ok, in the customer's and the agent's copy
        for (var i = 0; i < await links.CountAsync(); i++)
        {
            Assert.Matches("^(https?:|mailto:)", await links.Nth(i).GetAttributeAsync("href") ?? "");
            Assert.Contains("noopener", await links.Nth(i).GetAttributeAsync("rel") ?? "", StringComparison.Ordinal);
        }
    }
}
