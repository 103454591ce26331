using System.Text.RegularExpressions;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>
/// A customer who types several messages while the widget is still connecting gets them stored, shown to the agent and
/// shown back in the order typed. The chat hub's WebSocket is routed through Playwright so the test can hold the two
/// moments where a later message used to overtake the first: the SignalR handshake (the first message waits for the
/// connection) and the history request the connection makes once it is up (later messages found it connected).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class WidgetMessageOrderTests(BrowserFixture browser) : WidgetShopTestBase
{
    [Fact]
    public async Task MessagesTypedWhileConnecting_StoredAndShownInTypedOrder()
    {
        var handshakeHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseHandshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var historyHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseHistory = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var page = await browser.OpenAsync(Shop());
        await page.RouteWebSocketAsync(ChatHub(), ws =>
        {
            var server = ws.ConnectToServer();
            var forwarding = Task.CompletedTask; // One frame after another, in the order the page sent them.
            ws.OnMessage(frame =>
            {
                var text = frame.Text ?? "";
                forwarding = forwarding.ContinueWith(
                    async _ =>
                    {
                        if (text.Contains("\"protocol\"", StringComparison.Ordinal) && handshakeHeld.TrySetResult())
                        {
                            await releaseHandshake.Task;
                        }

                        if (text.Contains("\"target\":\"GetHistory\"", StringComparison.Ordinal) && historyHeld.TrySetResult())
                        {
                            await releaseHistory.Task;
                        }

                        server.Send(text);
                    },
                    TaskScheduler.Default).Unwrap();
            });
        });

        await page.StartChatAsync("Olga Ordered");
        await handshakeHeld.Task.Within("the widget to open its chat connection");
        await page.SendAsync("one: the first message, typed while connecting");
        releaseHandshake.SetResult();
        await historyHeld.Task.Within("the connected widget to ask for its history");
        await page.SendAsync("two");
        await page.SendAsync("three");
        await Assertions.Expect(page.CustomerBubbles()).ToHaveCountAsync(3);
        releaseHistory.SetResult();

        string[] typed = ["one: the first message, typed while connecting", "two", "three"];
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(3);
        Assert.Equal(typed, await page.CustomerBubbles().AllTextContentsAsync());
        var stored = await Host.InScopeAsync(async sp => (await sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.Direction == MessageDirection.Inbound).ToListAsync()).OrderBy(m => m.CreatedAt).Select(m => m.Text).ToArray());
        Assert.Equal(typed, stored);

        // After a reload the history (server order) reads the same.
        await page.ReloadAsync();
        await page.Launcher().ClickAsync();
        await Assertions.Expect(page.CustomerBubbles()).ToHaveCountAsync(3);
        Assert.Equal(typed, await page.CustomerBubbles().AllTextContentsAsync());
        await page.ShotAsync("widget-message-order");
    }

    [GeneratedRegex("/hubs/chat")]
    private static partial Regex ChatHub();
}
