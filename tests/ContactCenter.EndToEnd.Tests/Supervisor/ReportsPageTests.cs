using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Reports;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Supervisor;

/// <summary>The reports page in headless Chromium over four weeks of seeded conversations (closed days rolled up, today live).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new();
    private readonly List<(DateTimeOffset At, ChannelKind Channel)> _opened = [];

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        var sales = await _host.CreateTeamAsync("Sales");
        Inbox[] inboxes =
        [
            await _host.CreateInboxAsync("Mail", ChannelKind.Email, support.Id),
            await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, sales.Id),
            await _host.CreateInboxAsync("WhatsApp", ChannelKind.WhatsApp, support.Id),
        ];
        await _host.CreateAgentAsync("sam@test.local", "Sam Supervisor", StaffRole.Supervisor);
        Agent[] agents =
        [
            await _host.CreateAgentAsync("alice@test.local", "Alice Martin", StaffRole.Agent, support.Id),
            await _host.CreateAgentAsync("bob@test.local", "Bob Chen", StaffRole.Agent, sales.Id),
            await _host.CreateAgentAsync("carol@test.local", "Carol Diaz", StaffRole.Agent, support.Id),
        ];
        var policy = SlaPolicy.Create("Standard", 0, SlaConditions.Any,
            new Dictionary<Priority, SlaTargets> { [Priority.Normal] = new(TimeSpan.FromMinutes(30), null, TimeSpan.FromHours(8)) }).Value!;

        // The policy is saved first: the SLA planner attaches it to the conversations when they are saved.
        await _host.InScopeAsync(async sp =>
        {
            sp.GetRequiredService<ISlaDbContext>().SlaPolicies.Add(policy);
            await sp.GetRequiredService<IApplicationDbContext>().SaveChangesAsync();
        });
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var sla = sp.GetRequiredService<ISlaDbContext>();
            var now = DateTimeOffset.UtcNow;
            var ratings = new List<CsatRating>();
            var breaches = new List<SlaEvent>();
            var n = 0;
            for (var day = 27; day >= 0; day--)
            {
                for (var k = 0; k < 4 + (day % 5); k++)
                {
                    n++;
                    var inbox = inboxes[n % inboxes.Length];
                    var agent = inbox.Channel == ChannelKind.WebChat ? agents[1] : agents[n % 2 == 0 ? 0 : 2];
                    var at = now.AddDays(-day).AddHours(-(k + 1));
                    _opened.Add((at, inbox.Channel));
                    var contact = Contact.Create($"Customer {n}", ContactIdentity.Create(IdentityKind.Email, $"c{n}@example.com"), at);
                    var c = Conversation.Open(n, inbox.Id, inbox.Channel, contact.Id, $"Order question {n}", inbox.DefaultTeamId, Actor.System, at);
                    c.ReceiveFromContact(contact.Name, new MessageContent($"Where is my order {n}?"), null, at);
                    c.Assign(agent.Id, agent.DisplayName, Actor.System, at.AddMinutes(1));
                    var replyAfter = 2 + ((n * 7) % 45);
                    c.ReplyFromAgent(agent.Id, agent.DisplayName, new MessageContent("Let me check that for you."), false, null, at.AddMinutes(replyAfter));
                    if (replyAfter > 30)
                    {
                        breaches.Add(SlaEvent.Record(c.Id, c.TeamId, SlaMetric.FirstResponse, SlaEventKind.Breach, at.AddMinutes(30), at.AddMinutes(30), at.AddMinutes(31), "test"));
                    }

                    if (n % 6 != 0)
                    {
                        c.ChangeStatus(ConversationStatus.Resolved, Actor.System, at.AddMinutes(replyAfter + (15 * (n % 9))));
                        if (n % 3 == 0)
                        {
                            ratings.Add(CsatRating.Submit(c, 2 + (n % 4), null, at.AddHours(3)).Value!);
                        }
                    }

                    db.Contacts.Add(contact);
                    db.Conversations.Add(c);
                }
            }

            await db.SaveChangesAsync();
            sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AddRange(ratings);
            sla.SlaEvents.AddRange(breaches);
            await db.SaveChangesAsync();
        });

        // Closed days come from the nightly roll-up, today is computed live.
        await _host.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpAsync(CancellationToken.None));
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private string OpenedSince(int days, ChannelKind? channel = null)
    {
        var first = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-(days - 1));
        return _opened.Count(o => DateOnly.FromDateTime(o.At.UtcDateTime) >= first && (channel is null || o.Channel == channel))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Reports_ChangeThePeriod_ChartsFollowAndTheCsvDownloads()
    {
        var page = await browser.SignInToAsync(_host, "sam@test.local", "/reports");
        await using var context = page.Context;
        await Assertions.Expect(page.GetByTestId("reports")).ToHaveAttributeAsync("data-ready", "true");

        // The last 7 days by default.
        await Assertions.Expect(page.GetByTestId("volume-total")).ToHaveTextAsync(OpenedSince(7));
        await Assertions.Expect(page.GetByTestId("preset-7d")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));

        // Last 30 days: more conversations, every section has its chart or table.
        await page.GetByTestId("preset-30d").ClickAsync();
        await Assertions.Expect(page.GetByTestId("preset-30d")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await Assertions.Expect(page.GetByTestId("reports")).ToHaveAttributeAsync("data-ready", "true");
        await Assertions.Expect(page.GetByTestId("volume-total")).ToHaveTextAsync(OpenedSince(30));
        await Assertions.Expect(page.GetByTestId("reports-loading")).ToHaveCountAsync(0);
        foreach (var section in new[] { "report-volume", "report-response-times", "report-sla", "report-csat" })
        {
            await Assertions.Expect(page.GetByTestId(section).Locator(".mud-chart svg").First).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByTestId("agent-name")).ToHaveTextAsync(["Alice Martin", "Bob Chen", "Carol Diaz"]);
        await Assertions.Expect(page.GetByTestId("report-agents-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/api/v1/reports/agents\\?from=.*&format=csv"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath("reports"), FullPage = true });

        var agentsCsv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-agents-csv").ClickAsync());
        var lines = await File.ReadAllLinesAsync(await agentsCsv.PathAsync());
        Assert.Equal("AgentId,Agent,Assigned,Handled,Replies,FirstResponses,FirstResponseMedian,FirstResponseP90,Resolved,ResolutionMedian,ResolutionP90,Ratings,CsatAverage,CsatSatisfied", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(4, lines.Length);

        var conversations = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("conversations-csv").ClickAsync());
        var text = await File.ReadAllTextAsync(await conversations.PathAsync());
        Assert.StartsWith("Number,Created,Channel,Team,Status,Assignee,Contact", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("(customer): Where is my order 1?", text, StringComparison.Ordinal);

        // Only email: the volume and the CSV links follow the filter.
        await page.GetByTestId("filter-channel").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Email$") }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("volume-total")).ToHaveTextAsync(OpenedSince(30, ChannelKind.Email));
        await Assertions.Expect(page.GetByTestId("report-volume-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("channel=Email"));
        await Assertions.Expect(page.GetByTestId("agents-unfiltered")).ToBeVisibleAsync();
    }
}
