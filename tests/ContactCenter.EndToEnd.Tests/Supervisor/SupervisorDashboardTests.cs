using System.Net.Http.Json;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Supervisor;

/// <summary>The supervisor's live view in headless Chromium: queues update without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SupervisorDashboardTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new();
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        // The supervisor watches the Support queue without being one of its agents.
        await _host.CreateAgentAsync("sam@test.local", "Sam Supervisor", Domain.Agents.StaffRole.Supervisor);
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dashboard_WaitingCustomerAppearsInTheQueueLive()
    {
        var page = await browser.OpenSupervisorDashboardAsync(_host, "sam@test.local");
        await using var context = page.Context;
        var queue = page.GetByTestId("queue").Filter(new() { HasText = "Support" });
        await Assertions.Expect(queue.GetByTestId("queue-waiting")).ToHaveTextAsync("0");

        // The only Support agent goes away (the dashboard shows it live), so the customer has to wait.
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, "Queued Quentin"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("customer connect");
        await using var agents = _host.AgentConnection(await _host.SignInAsync("alice@test.local"));
        await agents.StartAsync().Within("alice connect");
        await agents.InvokeAsync(nameof(AgentHub.SetPresence), Domain.Agents.Presence.Away, "Lunch").Within("away");
        await page.GetByTestId("agent-row").Filter(new() { HasText = "Alice Martin" }).Filter(new() { HasText = "Lunch" }).WaitForAsync();

        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "Anyone?")).Within("send");

        await Assertions.Expect(queue.GetByTestId("queue-waiting")).ToHaveTextAsync("1");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-dashboard"), FullPage = true });
    }

    [Fact]
    public async Task Dashboard_SupervisorSetsAnAgentsState_TheAgentHearsItLive_ThenReassignsAndOpensAWaitingChat()
    {
        var page = await browser.OpenSupervisorDashboardAsync(_host, "sam@test.local");
        await using var context = page.Context;
        await using var alice = _host.AgentConnection(await _host.SignInAsync("alice@test.local"));
        var heard = new TaskCompletionSource<AgentPresenceDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        var assigned = new TaskCompletionSource<ConversationSummaryDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.On<AgentPresenceDto>(nameof(IAgentClient.PresenceChanged), p =>
        {
            if (p.Presence == Domain.Agents.Presence.Away)
            {
                heard.TrySetResult(p);
            }
        });
        await alice.StartAsync().Within("alice connect");
        await alice.InvokeAsync(nameof(AgentHub.SetPresence), Domain.Agents.Presence.Online, (string?)null).Within("online");
        var aliceRow = page.GetByTestId("agent-row").Filter(new() { HasText = "Alice Martin" });
        await Assertions.Expect(aliceRow.GetByTestId("agent-state")).ToHaveAttributeAsync("data-presence", "online");

        // The supervisor sends Alice away from the dashboard: her own hub hears it, the board shows it, the audit log has it.
        await aliceRow.Locator("button[data-testid=set-away]").ClickAsync();
        var presence = await heard.Task.Within("alice to hear she is away");
        Assert.Equal("Set by a supervisor", presence.AwayReason);
        await Assertions.Expect(aliceRow.GetByTestId("agent-state")).ToHaveAttributeAsync("data-presence", "away");
        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(AuditActions.AgentPresenceSet), CancellationToken.None));
        Assert.Equal("sam@test.local", Assert.Single(audit).ActorName);

        // Alice away, a customer waits in Support and shows in the waiting list.
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, "Waiting Wanda"));
        var session = (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        await using var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("customer connect");
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("w-1", "My refund never arrived")).Within("send");
        var row = page.Locator($"[data-testid=waiting-row][data-conversation='{sent.ConversationId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-actions-01-away-and-waiting"), FullPage = true });

        // Reassign it to Alice from the row's menu: it leaves the waiting list and reaches her.
        alice.On<ConversationSummaryDto>(nameof(IAgentClient.ConversationUpdated), c =>
        {
            if (c.Id == sent.ConversationId && c.AssigneeId is not null)
            {
                assigned.TrySetResult(c);
            }
        });
        await row.GetByTestId("reassign").ClickAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-actions-02-reassign-menu"), FullPage = true });
        await page.Locator("[data-testid=reassign-agent]").Filter(new() { HasText = "Alice Martin" }).ClickAsync();
        await assigned.Task.Within("alice to get the reassigned chat");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(aliceRow).ToContainTextAsync("1 / ");

        // Open it: the console shows that conversation (the supervisor is not in Support).
        await page.GotoAsync($"/console?conversation={sent.ConversationId:D}");
        await Assertions.Expect(page.GetByTestId("conversation")).ToContainTextAsync("My refund never arrived");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("supervisor-actions-03-opened-in-console"), FullPage = true });
    }
}
