using System.Net.Http.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Supervisor;

/// <summary>
/// The supervisor's live view of a queue nobody serves, in headless Chromium: customers pile up in the queue and,
/// on a seconds-long first-response SLA swept by the real Quartz job, their conversations turn at risk and then
/// breached (with the priority raised) without a reload.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SupervisorSlaTests(BrowserFixture browser) : IAsyncLifetime
{
    // Warning at a quarter of the target: the at-risk list has ~15 s to show the conversation before it breaches,
    // which holds on a loaded machine; the breach comes 20 s after the customer wrote.
    private static readonly TimeSpan FirstResponseTarget = TimeSpan.FromSeconds(20);

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["Sla:SweepInterval"] = "00:00:00.500",
        ["Sla:WarningShare"] = "0.25",
        ["Sla:PolicyCacheDuration"] = "00:00:00",
        ["Sla:RaisePriorityOnBreach"] = "true",
        // The queue's service level: chats answered within 2 s (nobody answers here, so it drops to 0 % live).
        ["Supervisor:ServiceLevel:LiveTargetSeconds"] = "2",
    });

    private readonly List<HubConnection> _customers = [];
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Billing");
        _inbox = await _host.CreateInboxAsync("Billing chat", ChannelKind.WebChat, team.Id);
        // Billing has no agent at all: whoever writes waits, and the clock runs.
        await _host.CreateAgentAsync("sam@test.local", "Sam Supervisor", Domain.Agents.StaffRole.Supervisor);

        // Seconds-long targets cannot be set through the admin API (whole minutes), so the policy goes in through the DbContext.
        var targets = new SlaTargets(FirstResponseTarget, null, TimeSpan.FromHours(8));
        var policy = SlaPolicy.Create("Billing chat: answer fast", 0,
            SlaConditions.Any with { Channels = [ChannelKind.WebChat], Teams = [team.Id] },
            Enum.GetValues<Priority>().ToDictionary(p => p, _ => targets)).Value!;
        await _host.InScopeAsync(async sp =>
        {
            var sla = sp.GetRequiredService<ISlaDbContext>();
            sla.SlaPolicies.Add(policy);
            await sp.GetRequiredService<IApplicationDbContext>().SaveChangesAsync();
            sp.GetRequiredService<SlaPlanner>().Invalidate();
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var customer in _customers)
        {
            await customer.DisposeAsync();
        }

        _host.Dispose();
    }

    [Fact]
    public async Task Dashboard_UnservedQueue_GrowsThenShowsAtRiskAndBreachedLive()
    {
        var page = await browser.OpenSupervisorDashboardAsync(_host, "sam@test.local");
        await using var context = page.Context;
        var queue = page.GetByTestId("queue").Filter(new() { HasText = "Billing" });
        var waiting = queue.GetByTestId("queue-waiting");
        var atRisk = page.GetByTestId("sla-at-risk");
        var breached = page.GetByTestId("sla-breached");
        await Assertions.Expect(atRisk.GetByTestId("sla-empty")).ToBeVisibleAsync();
        await Assertions.Expect(breached.GetByTestId("sla-empty")).ToBeVisibleAsync();
        var reloads = 0;
        page.FrameNavigated += (_, frame) => reloads += frame == page.MainFrame ? 1 : 0;

        // The queue grows live, one customer at a time.
        var first = await CustomerWritesAsync("Nora Nguyen", "I was charged twice for order #48213, please refund one of them.");
        await Assertions.Expect(waiting).ToHaveTextAsync("1");
        var second = await CustomerWritesAsync("Omar Haddad", "Where is my invoice for March?");
        await Assertions.Expect(waiting).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-sla-01-queue-growing"), FullPage = true });

        // A quarter of the target in, the first conversation is at risk (amber chip, time left) ...
        var firstAtRisk = atRisk.Locator($"[data-testid=sla-row][data-conversation='{first.Id}']");
        await Assertions.Expect(firstAtRisk).ToBeVisibleAsync();
        await Assertions.Expect(firstAtRisk).ToContainTextAsync($"#{first.Number}");
        await Assertions.Expect(firstAtRisk.GetByTestId("sla-chip")).ToHaveAttributeAsync("data-state", "atrisk");
        await Assertions.Expect(firstAtRisk).ToContainTextAsync("Normal");
        // Both waited past the 2 s target unanswered: the queue's service level shows 0 % against the 80 % goal, in red.
        var serviceLevel = queue.GetByTestId("queue-service-level");
        await Assertions.Expect(serviceLevel).ToHaveAttributeAsync("data-state", "below");
        await Assertions.Expect(serviceLevel).ToContainTextAsync("0% in 2s (goal 80%)");
        await Assertions.Expect(queue.GetByTestId("queue-abandoned")).ToHaveTextAsync("0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-sla-02-at-risk"), FullPage = true });

        // ... and at the target it moves to the breached list, escalated one priority step, with an alert.
        var bound = new LocatorAssertionsToBeVisibleOptions { Timeout = 40_000 };
        var firstBreached = breached.Locator($"[data-testid=sla-row][data-conversation='{first.Id}']");
        await Assertions.Expect(firstBreached).ToBeVisibleAsync(bound);
        await Assertions.Expect(firstBreached.GetByTestId("sla-chip")).ToHaveAttributeAsync("data-state", "breached");
        await Assertions.Expect(firstBreached).ToContainTextAsync("High");
        await Assertions.Expect(atRisk.Locator($"[data-testid=sla-row][data-conversation='{first.Id}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = $"#{first.Number}" }).First).ToContainTextAsync("SLA breached");
        var secondBreached = breached.Locator($"[data-testid=sla-row][data-conversation='{second.Id}']");
        await Assertions.Expect(secondBreached).ToBeVisibleAsync(bound);
        await Assertions.Expect(breached.GetByTestId("sla-breached-count")).ToHaveTextAsync("2");
        await Assertions.Expect(waiting).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-sla-03-breached"), FullPage = true });

        // The second customer gives up and ends the chat unanswered: abandoned, out of the queue and the breached list.
        await _customers[1].InvokeAsync<Application.Visitors.EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end chat");
        await Assertions.Expect(queue.GetByTestId("queue-abandoned")).ToHaveTextAsync("1");
        await Assertions.Expect(waiting).ToHaveTextAsync("1");
        await Assertions.Expect(breached.Locator($"[data-testid=sla-row][data-conversation='{second.Id}']")).ToHaveCountAsync(0);
        await Assertions.Expect(serviceLevel).ToContainTextAsync("0% in 2s");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-sla-04-abandoned"), FullPage = true });

        Assert.Equal(0, reloads);
        await AssertBreachRecordedOnceAsync(first.Id);
    }

    [Fact]
    public async Task Dashboard_InChinese_ShowsTheBreachLiveWithTranslatedLabels()
    {
        var page = await browser.OpenSupervisorDashboardAsync(_host, "sam@test.local", locale: "zh-CN");
        await using var context = page.Context;
        await Assertions.Expect(page.GetByText("实时运营")).ToBeVisibleAsync();
        var breached = page.GetByTestId("sla-breached");
        await Assertions.Expect(breached).ToContainTextAsync("暂无超时的会话。");

        var late = await CustomerWritesAsync("李娜", "我的订单 #48213 被重复扣款了，请退回一笔。");
        await Assertions.Expect(page.GetByTestId("queue").Filter(new() { HasText = "Billing" }).GetByTestId("queue-waiting")).ToHaveTextAsync("1");

        var row = breached.Locator($"[data-testid=sla-row][data-conversation='{late.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await Assertions.Expect(breached).ToContainTextAsync("SLA 已超时");
        await Assertions.Expect(breached.Locator("thead")).ToContainTextAsync("主题");
        await Assertions.Expect(row.GetByTestId("sla-priority")).ToHaveAttributeAsync("data-priority", "high");
        await Assertions.Expect(row.GetByTestId("sla-priority")).ToContainTextAsync("高");
        await Assertions.Expect(row.GetByTestId("sla-chip")).ToContainTextAsync("首次响应 已超时");
        await Assertions.Expect(page.GetByTestId("agents").Locator("thead")).ToContainTextAsync("实时会话");
        await Assertions.Expect(page.GetByTestId("queue").Filter(new() { HasText = "Billing" }).GetByTestId("queue-service-level")).ToContainTextAsync("2s 内响应 0%（目标 80%）");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-sla-05-breached-zh-CN"), FullPage = true });
    }

    private async Task<(Guid Id, long Number)> CustomerWritesAsync(string name, string text)
    {
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, name)).Within("widget session");
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        var customer = _host.CustomerConnection(session.VisitorToken);
        _customers.Add(customer);
        await customer.StartAsync().Within("customer connect");
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest(Guid.NewGuid().ToString(), text)).Within("send");
        var number = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .Where(c => c.Id == new ConversationId(sent.ConversationId)).Select(c => c.Number).SingleAsync());
        return (sent.ConversationId, number);
    }

    private Task AssertBreachRecordedOnceAsync(Guid conversationId) =>
        _host.InScopeAsync(async sp =>
        {
            var id = new ConversationId(conversationId);
            var events = await sp.GetRequiredService<ISlaDbContext>().SlaEvents.AsNoTracking()
                .Where(e => e.ConversationId == id && e.Metric == SlaMetric.FirstResponse).Select(e => e.Kind).ToListAsync();
            Assert.Equal([SlaEventKind.Warning, SlaEventKind.Breach], events.Order());
        });
}
