using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>An agent on a real SignalR connection to /hubs/agent, with what it heard.</summary>
public sealed class AgentSide(Agent agent, HubConnection connection) : IAsyncDisposable
{
    public Agent Agent { get; } = agent;
    public HubConnection Connection { get; } = connection;
    public ConcurrentQueue<(Guid ConversationId, bool IsTyping)> CustomerTyping { get; } = new();

    public Task WatchAsync(Guid conversationId) => Connection.InvokeAsync(nameof(AgentHub.Watch), conversationId).Within("watch");

    public Task TypingAsync(Guid conversationId, bool isTyping) => Connection.InvokeAsync(nameof(AgentHub.Typing), conversationId, isTyping).Within("agent typing");

    public Task<AgentReplyResult> ReplyAsync(Guid conversationId, string text) =>
        Connection.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply), new AgentReplyRequest(conversationId, text, false, Guid.NewGuid().ToString("N"))).Within("agent reply");

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>Drives the widget in a page (Playwright's CSS and role locators pierce its open shadow root) and reads the database.</summary>
public static class WidgetTestKit
{
    public static async Task<AgentSide> ConnectAgentAsync(this ContactCenterHost host, string email, string name, params TeamId[] teams)
    {
        var agent = await host.CreateAgentAsync(email, name, StaffRole.Agent, teams);
        var connection = host.AgentConnection(await host.SignInAsync(email));
        var side = new AgentSide(agent, connection);
        connection.On<Guid, bool>(nameof(IAgentClient.CustomerTyping), (id, typing) => side.CustomerTyping.Enqueue((id, typing)));
        await connection.StartAsync().Within($"{name} to connect");
        await Waits.UntilAsync(async () => await host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking()
            .AnyAsync(a => a.Id == agent.Id && a.Presence == Presence.Online)), $"{name} online");
        return side;
    }

    public static async Task<IPage> OpenAsync(this BrowserFixture browser, Uri url, string locale = "en-US")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1100, Height = 760 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        return page;
    }

    public static ILocator Launcher(this IPage page) => page.Locator("contactcenter-chat .cc-launcher");

    public static ILocator Panel(this IPage page) => page.Locator("contactcenter-chat .cc-panel");

    public static ILocator CustomerBubbles(this IPage page) => page.Locator("contactcenter-chat .cc-item--customer .cc-bubble");

    public static ILocator AgentBubbles(this IPage page) => page.Locator("contactcenter-chat .cc-item--agent .cc-bubble");

    public static ILocator Composer(this IPage page) => page.Locator("contactcenter-chat #cc-input");

    public static async Task StartChatAsync(this IPage page, string name, string? topic = null)
    {
        await page.Launcher().ClickAsync();
        await page.Locator("contactcenter-chat #cc-name").FillAsync(name);
        if (topic is not null)
        {
            await page.Locator("contactcenter-chat #cc-topic").SelectOptionAsync(new SelectOptionValue { Label = topic });
        }

        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Composer()).ToBeVisibleAsync();
    }

    public static async Task SendAsync(this IPage page, string text)
    {
        await page.Composer().FillAsync(text);
        await page.Composer().PressAsync("Enter");
    }

    public static Task ShotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath(name), Animations = ScreenshotAnimations.Disabled });

    public static Task<Conversation> SingleConversationAsync(this ContactCenterHost host) =>
        host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync());

    public static async Task<Conversation> WaitForConversationAsync(this ContactCenterHost host)
    {
        await Waits.UntilAsync(async () => await host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AnyAsync()), "a conversation");
        return await host.SingleConversationAsync();
    }

    /// <summary>Customer messages in the database, oldest first.</summary>
    public static Task<List<string>> InboundTextsAsync(this ContactCenterHost host) =>
        host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.Direction == MessageDirection.Inbound).OrderBy(m => m.CreatedAt).Select(m => m.Text).ToListAsync());
}

/// <summary>A test class's world: the app, the third-party shop site, a Support team and the web chat inbox routed to it.</summary>
public abstract class WidgetShopTestBase : IAsyncLifetime
{
    protected ContactCenterHost Host { get; } = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });

    protected ThirdPartySite Site { get; private set; } = default!;

    protected Domain.Teams.Team Support { get; private set; } = default!;

    protected Domain.Inboxes.Inbox Chat { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Site = await ThirdPartySite.StartAsync();
        Support = await Host.CreateTeamAsync("Support");
        Chat = await Host.CreateInboxAsync("Website chat", ChannelKind.WebChat, Support.Id);
        await ArrangeAsync();
    }

    /// <summary>More setup for the class (after the inbox exists).</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    protected Uri Shop() => Site.ShopPage("/shop", Host.BaseAddress, Chat.Id.Value);

    public async Task DisposeAsync()
    {
        await Site.DisposeAsync();
        Host.Dispose();
    }
}
