using System.Net.Http.Json;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
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
}
