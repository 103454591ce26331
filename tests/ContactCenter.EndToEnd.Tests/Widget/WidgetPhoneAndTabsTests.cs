using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>The widget on a phone-sized screen, driven by the keyboard alone, followed across two tabs; emoji, the agent's avatar and read receipts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetPhoneAndTabsTests(BrowserFixture browser) : WidgetShopTestBase
{
    [Fact]
    public async Task Phone_KeyboardOnly_Emoji_AgentAvatar_ReadReceipt_AndASecondTabFollows()
    {
        await using var alice = await Host.ConnectAgentAsync("alice@test.local", "Alice Martin", Support.Id);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Shop().ToString());

        // Keyboard only: the launcher, the pre-chat form (Enter submits), the composer.
        await page.Launcher().FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("contactcenter-chat #cc-name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Kim Keyboard");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Composer()).ToBeFocusedAsync();

        // Full screen on a phone: the panel covers the viewport, the launcher steps aside.
        var box = (await page.Panel().BoundingBoxAsync())!;
        Assert.Equal((0, 0, 390, 844), ((int)box.X, (int)box.Y, (int)box.Width, (int)box.Height));
        await Assertions.Expect(page.Launcher()).ToBeHiddenAsync();

        await page.Keyboard.TypeAsync("My brakes squeak ");
        var emojiToggle = page.Locator("contactcenter-chat .cc-emoji-toggle");
        await emojiToggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-emoji-choice").First).ToBeFocusedAsync();
        await page.ShotAsync("widget-22-phone-emoji");
        await page.Keyboard.PressAsync("Escape"); // closes the picker, not the chat
        await Assertions.Expect(page.Locator("contactcenter-chat #cc-emoji")).ToBeHiddenAsync();
        await Assertions.Expect(page.Panel()).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("contactcenter-chat .cc-emoji-choice[aria-label='👍']").PressAsync("Enter");
        await Assertions.Expect(page.Composer()).ToHaveValueAsync("My brakes squeak 👍");
        await Assertions.Expect(page.Composer()).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(1);

        // A second tab of the same site follows the same chat.
        var second = await context.NewPageAsync();
        await second.GotoAsync(Shop().ToString());
        await second.Launcher().ClickAsync();
        await Assertions.Expect(second.CustomerBubbles()).ToHaveTextAsync(["My brakes squeak 👍"]);

        var conversation = await Host.WaitForConversationAsync();
        var reply = await alice.ReplyAsync(conversation.Id.Value, "Try cleaning the rims first.");
        await Assertions.Expect(page.AgentBubbles()).ToHaveTextAsync(["Try cleaning the rims first."]);
        await Assertions.Expect(second.AgentBubbles()).ToHaveTextAsync(["Try cleaning the rims first."]);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-avatar[data-agent]")).ToHaveTextAsync("AM");

        // Written in the second tab: shown once in both.
        await second.SendAsync("Thanks, will do");
        await Assertions.Expect(page.CustomerBubbles()).ToHaveTextAsync(["My brakes squeak 👍", "Thanks, will do"]);
        await Assertions.Expect(second.CustomerBubbles()).ToHaveTextAsync(["My brakes squeak 👍", "Thanks, will do"]);
        await page.ShotAsync("widget-23-phone-chat");

        // The open widget told the agents the reply was read.
        await Waits.UntilAsync(async () => await Host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .AnyAsync(m => m.Id == new MessageId(reply.MessageId) && m.DeliveryStatus == DeliveryStatus.Read)), "the reply to be reported read");
        await context.CloseAsync();
    }
}
