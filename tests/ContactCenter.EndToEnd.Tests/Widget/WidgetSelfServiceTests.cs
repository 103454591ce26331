using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Knowledge;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>
/// Self-service and languages (the real help-center articles from kb-content/, en and zh-CN), and the inbox's
/// protections as a customer meets them in the browser: verified identity, forged identity, a site that is not allowed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetSelfServiceTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Secret = "e2e-identity-secret";
    private const string SecretKey = "Widget:Secrets:E2E";

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["KnowledgeBase:ContentPath"] = Path.Combine(RepositoryRoot(), "kb-content"),
        ["KnowledgeBase:Watch"] = "false",
        ["KnowledgeBase:ReimportInterval"] = "00:00:00",
        [SecretKey] = Secret,
        ["Widget:MessageRateLimit:PermitLimit"] = "3",
        ["Widget:MessageRateLimit:Window"] = "00:00:04",
    });

    private ThirdPartySite _site = default!;
    private Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _site = await ThirdPartySite.StartAsync();
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        var report = await _host.Services.GetRequiredService<KnowledgeImportStatus>().FirstImport.Within("the help-center import", TimeSpan.FromSeconds(90));
        Assert.True(report.Added > 0);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _host.Dispose();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (ContactCenter.sln) was not found.");
    }

    private Task ConfigureInboxAsync(params (string Key, string? Value)[] settings) =>
        _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == _inbox.Id);
            foreach (var (key, value) in settings)
            {
                inbox.SetSetting(key, value);
            }

            await db.SaveChangesAsync();
        });

    private Task<int> ContactCountAsync() => _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.CountAsync());

    [Fact]
    public async Task TypingAQuestion_SuggestsArticles_OneOpensInsideTheWidget()
    {
        var page = await browser.OpenAsync(_site.ShopPage("/help", _host.BaseAddress, _inbox.Id.Value));
        await page.StartChatAsync("Sam Self-Service");

        await page.Composer().PressSequentiallyAsync("How do I reset my password?");

        var suggestions = page.Locator("contactcenter-chat .cc-suggestion");
        await Assertions.Expect(suggestions.First).ToBeVisibleAsync();
        var reset = suggestions.Filter(new() { HasText = "I forgot my password" });
        await Assertions.Expect(reset).ToHaveCountAsync(1);
        await page.ShotAsync("widget-12-kb-suggestions");

        await reset.ClickAsync();
        var article = page.Locator("contactcenter-chat .cc-article");
        await Assertions.Expect(article.Locator(".cc-article-title")).ToHaveTextAsync("I forgot my password – how do I reset it?");
        await Assertions.Expect(article.Locator(".cc-article-body")).ToContainTextAsync("password");
        Assert.True(await article.Locator(".cc-article-body p, .cc-article-body li").CountAsync() > 1);
        Assert.Equal(0, await article.Locator("script, style, iframe, [onerror], [onclick]").CountAsync());
        var helpLink = article.Locator(".cc-article-link");
        Assert.StartsWith(_host.BaseAddress.ToString() + "help/en/accounts/reset-password", await helpLink.GetAttributeAsync("href"), StringComparison.Ordinal);
        await page.ShotAsync("widget-13-kb-article");

        // Back to the chat: the half-written question is still there, nothing was sent.
        await article.Locator(".cc-back").ClickAsync();
        await Assertions.Expect(page.Composer()).ToHaveValueAsync("How do I reset my password?");
        Assert.Empty(await _host.InboundTextsAsync());
    }

    [Fact]
    public async Task ChineseBrowser_GetsChineseWidget_AndChineseSuggestions()
    {
        var page = await browser.OpenAsync(_site.ShopPage("/zh", _host.BaseAddress, _inbox.Id.Value), locale: "zh-CN");
        await page.Launcher().ClickAsync();

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat button[type=submit]")).ToHaveTextAsync("开始聊天");
        await Assertions.Expect(page.Locator("contactcenter-chat label[for=cc-name]")).ToHaveTextAsync("您的姓名");
        await page.Locator("contactcenter-chat #cc-name").FillAsync("王小明");
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Composer()).ToHaveAttributeAsync("placeholder", "请输入消息…");

        // Chinese arrives through an input method, which commits whole phrases (one input event), not key presses: Fill does
        // exactly that. Key-by-key typing of non-Latin text was dropped by headless Chromium on a loaded machine.
        await page.Composer().FillAsync("忘记密码了怎么办");
        await Assertions.Expect(page.Composer()).ToHaveValueAsync("忘记密码了怎么办");
        var suggestion = page.Locator("contactcenter-chat .cc-suggestion").Filter(new() { HasText = "重置密码" });
        await Assertions.Expect(suggestion).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-suggestions-title")).ToHaveTextAsync("推荐文章");
        await page.ShotAsync("widget-14-zh-CN");
    }

    [Fact]
    public async Task DataLocaleOverride_WinsOverTheBrowserLanguage()
    {
        var page = await browser.OpenAsync(_site.ShopPage("/en-override", _host.BaseAddress, _inbox.Id.Value, new Dictionary<string, string> { ["data-locale"] = "en" }), locale: "zh-CN");
        await page.Launcher().ClickAsync();

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat button[type=submit]")).ToHaveTextAsync("Start chat");
    }

    [Fact]
    public async Task BurstOverTheRateLimit_WidgetHoldsTheRestAndResends_EachStoredOnce()
    {
        var page = await browser.OpenAsync(_site.ShopPage("/burst", _host.BaseAddress, _inbox.Id.Value));
        await page.StartChatAsync("Bea Burst");
        string[] burst = ["one", "two", "three", "four", "five"];

        foreach (var text in burst)
        {
            await page.SendAsync(text);
        }

        // Over the limit (3 per 4 s here): refused by the server, held by the widget, sent once the window moves on.
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=queued]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-queued").First).ToContainTextAsync("Too many messages");
        await page.ShotAsync("widget-16-rate-limited");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        Assert.Equal(burst.Order(), (await _host.InboundTextsAsync()).Order());
    }

    [Fact]
    public async Task VerifiedUser_ChatsAsTheSiteUser()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.IdentitySecretKeySetting, SecretKey), (WidgetInboxPolicy.RequireIdentitySetting, "true"));
        var page = await browser.OpenAsync(_site.ShopPage("/account", _host.BaseAddress, _inbox.Id.Value, new Dictionary<string, string>
        {
            ["data-user-id"] = "customer-981",
            ["data-user-hash"] = IdentityHashes.Compute(Secret, "customer-981"),
            ["data-user-name"] = "Vera Verified",
        }));
        await page.Launcher().ClickAsync();
        await Assertions.Expect(page.Locator("contactcenter-chat #cc-name")).ToHaveValueAsync("Vera Verified");
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();

        await page.SendAsync("Hello from my account page");

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(1);
        var identities = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.AsNoTracking().Select(c => c.Identities).SingleAsync());
        Assert.Contains(identities, i => i.Kind == IdentityKind.External && i.Value == $"inbox:{_inbox.Id.Value:D}:customer-981");
    }

    [Fact]
    public async Task ForgedUserHash_IsRefusedInTheWidget_NothingStored()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.IdentitySecretKeySetting, SecretKey), (WidgetInboxPolicy.RequireIdentitySetting, "true"));
        var page = await browser.OpenAsync(_site.ShopPage("/forged", _host.BaseAddress, _inbox.Id.Value, new Dictionary<string, string>
        {
            ["data-user-id"] = "customer-981",
            ["data-user-hash"] = IdentityHashes.Compute("not-the-secret", "customer-981"),
        }));
        await page.StartChatAttemptAsync("Mallory");

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat .cc-form-error")).ToHaveTextAsync("The user identity could not be verified.");
        await page.ShotAsync("widget-15-forged-identity");
        Assert.Equal(0, await ContactCountAsync());
    }

    [Fact]
    public async Task SiteNotInAllowedOrigins_IsRefusedInTheWidget_NothingStored()
    {
        await ConfigureInboxAsync((WidgetInboxPolicy.AllowedOriginsSetting, "https://the-real-shop.example"));
        var page = await browser.OpenAsync(_site.ShopPage("/copycat", _host.BaseAddress, _inbox.Id.Value));
        await page.StartChatAttemptAsync("Eve");

        await Assertions.Expect(page.Locator("contactcenter-chat .cc-prechat .cc-form-error")).ToHaveTextAsync("This website is not allowed to use this chat.");
        Assert.Equal(0, await ContactCountAsync());

        // The same page from an allowed origin works.
        await ConfigureInboxAsync((WidgetInboxPolicy.AllowedOriginsSetting, $"https://the-real-shop.example,{_site.Origin}"));
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Composer()).ToBeVisibleAsync();
        await page.SendAsync("Now it works");
        await Assertions.Expect(page.Locator("contactcenter-chat .cc-item--customer[data-status=sent]")).ToHaveCountAsync(1);
    }
}

internal static class PreChatAttempts
{
    /// <summary>Fills the pre-chat form and submits it, without expecting the chat to start.</summary>
    public static async Task StartChatAttemptAsync(this IPage page, string name)
    {
        await page.Launcher().ClickAsync();
        await page.Locator("contactcenter-chat #cc-name").FillAsync(name);
        await page.Locator("contactcenter-chat .cc-prechat button[type=submit]").ClickAsync();
    }
}
