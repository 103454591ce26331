using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Console;

/// <summary>The agent console in headless Chromium against the real app; the customer is a real SignalR client.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AgentConsoleTests(BrowserFixture browser) : IAsyncLifetime
{
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
    public async Task SignedInAgent_SeesCustomerMessageArriveLive_AndReplyReachesCustomer()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();

        // Sign in through the real form.
        await page.GotoAsync("/console");
        await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByLabel("Email").FillAsync("alice@test.local");
        await page.GetByLabel("Password").FillAsync(ContactCenterHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(ConsoleUrl());
        await Assertions.Expect(page.GetByTestId("inbox-empty")).ToBeVisibleAsync();
        // The console is live once its own hub connection is up and its shortcuts are registered.
        await Assertions.Expect(page.Locator("[data-testid=console][data-ready=true]")).ToBeVisibleAsync();

        // A customer writes in on the web chat.
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, "Carla Customer"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        var reply = new TaskCompletionSource<ChatMessageDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.On<ChatMessageDto>(nameof(IChatClient.MessageReceived), m =>
        {
            if (!m.FromCustomer)
            {
                reply.TrySetResult(m);
            }
        });
        await customer.StartAsync().Within("the customer to connect");
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString(), "Hi! My order #48213 has not arrived.")).Within("send");

        // It shows up in the agent's inbox without a reload (routed to Alice, the only online agent).
        var item = page.GetByTestId("inbox-item").Filter(new() { HasText = "Carla Customer" });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(item.GetByTestId("inbox-preview")).ToHaveTextAsync("Hi! My order #48213 has not arrived.");
        await item.ClickAsync();
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "My order #48213" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-message-arrived"), FullPage = true });

        // The agent replies from the composer; the customer receives it.
        await page.Locator("textarea[data-testid=composer], [data-testid=composer] textarea").First.FillAsync("Sorry about that, Carla — checking with the carrier now.");
        await page.GetByTestId("send").ClickAsync();
        var received = await reply.Task.Within("the customer to receive the agent's reply");
        Assert.Equal("Sorry about that, Carla — checking with the carrier now.", received.Text);
        Assert.Equal("Alice Martin", received.AuthorName);
        var replyBubble = page.GetByTestId("message").Filter(new() { HasText = "checking with the carrier" });
        await Assertions.Expect(replyBubble).ToBeVisibleAsync();
        await Assertions.Expect(replyBubble).ToContainTextAsync("Sent");

        // A second customer message arrives live in the open conversation.
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString(), "Thanks, waiting 🙏")).Within("send");
        await Assertions.Expect(page.GetByTestId("message").Filter(new() { HasText = "Thanks, waiting" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("console-conversation"), FullPage = true });
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysOnSignIn()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync("alice@test.local");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("sign-in-error") });
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex SignInUrl();

    [GeneratedRegex("/console$")]
    private static partial Regex ConsoleUrl();
}
