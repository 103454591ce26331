using System.Globalization;
using Bunit;
using ContactCenter.Application.Conversations.Update;
using ContactCenter.Application.Sla;
using ContactCenter.Application.Supervision;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using ContactCenter.Domain.Supervision;
using ContactCenter.Web.Components.Console;
using ContactCenter.Web.Components.Supervisor;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

/// <summary>The supervisor dashboard's widgets: queue card, agent board, waiting list, reassign menu.</summary>
public sealed class SupervisorWidgetsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();

    public SupervisorWidgetsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static QueueStat Queue(ServiceLevelFigure? live = null, ServiceLevelFigure? async = null, int abandoned = 0, int waiting = 3) =>
        new(Guid.NewGuid(), "Billing", waiting, 95, 7, 2, live, async, abandoned, []);

    private IRenderedComponent<QueueCard> RenderCard(QueueStat queue) =>
        _context.Render<QueueCard>(p => p.Add(x => x.Queue, queue).Add(x => x.WindowHours, 24));

    [Fact]
    public void QueueCard_AtOrAboveTheGoal_ShowsTheServiceLevelInGreen()
    {
        var cut = RenderCard(Queue(live: new ServiceLevelFigure(WorkKind.Live, 41, 50, 20, 80)));

        var line = cut.Find("[data-testid=queue-service-level]");
        Assert.Equal(("live", "met"), (line.GetAttribute("data-kind"), line.GetAttribute("data-state")));
        Assert.Contains("82% in 20s (goal 80%)", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-success", line.QuerySelector(".mud-chip")!.ClassName, StringComparison.Ordinal);
        Assert.Equal("3", cut.Find("[data-testid=queue-waiting]").TextContent);
        Assert.Equal("2m", cut.Find("[data-testid=queue-longest-wait]").TextContent);
        Assert.Contains("last 24 h", cut.Find("[data-testid=queue-window]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueCard_UnderTheGoal_TurnsRed_AndShowsEachKindOfWork()
    {
        var cut = RenderCard(Queue(live: new ServiceLevelFigure(WorkKind.Live, 3, 5, 20, 80), async: new ServiceLevelFigure(WorkKind.Async, 9, 10, 3600, 80)));

        var lines = cut.FindAll("[data-testid=queue-service-level]");
        Assert.Equal(2, lines.Count);
        Assert.Equal("below", lines[0].GetAttribute("data-state"));
        Assert.Contains("60% in 20s (goal 80%)", lines[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", lines[0].QuerySelector(".mud-chip")!.ClassName, StringComparison.Ordinal);
        Assert.Equal(("async", "met"), (lines[1].GetAttribute("data-kind"), lines[1].GetAttribute("data-state")));
        Assert.Contains("90% in 1h (goal 80%)", lines[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueCard_NothingCountedYet_ShowsADashNotZero()
    {
        var cut = RenderCard(Queue(live: new ServiceLevelFigure(WorkKind.Live, 0, 0, 20, 80)));

        var line = cut.Find("[data-testid=queue-service-level]");
        Assert.Equal("none", line.GetAttribute("data-state"));
        Assert.Contains("– in 20s", line.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueCard_Abandoned_ShowsTheCountInAmber_AndAQuietQueueSaysSo()
    {
        var busy = RenderCard(Queue(live: new ServiceLevelFigure(WorkKind.Live, 1, 1, 20, 80), abandoned: 4));
        var abandoned = busy.Find("[data-testid=queue-abandoned]");
        Assert.Equal("4", abandoned.TextContent.Trim());
        Assert.Contains("mud-chip-color-warning", abandoned.ClassName, StringComparison.Ordinal);

        var quiet = RenderCard(Queue(waiting: 0));
        Assert.Equal("0", quiet.Find("[data-testid=queue-abandoned]").TextContent.Trim());
        Assert.NotNull(quiet.Find("[data-testid=queue-service-level-none]"));
        Assert.Empty(quiet.FindAll("[data-testid=queue-service-level]"));
    }

    [Fact]
    public void QueueCard_InChinese_TranslatesServiceLevelAndLabels()
    {
        InChinese(() =>
        {
            var cut = RenderCard(Queue(live: new ServiceLevelFigure(WorkKind.Live, 41, 50, 20, 80), abandoned: 2));

            Assert.Contains("20s 内响应 82%（目标 80%）", cut.Find("[data-testid=queue-service-level]").TextContent, StringComparison.Ordinal);
            Assert.Contains("在线聊天", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("放弃", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("最近 24 小时", cut.Find("[data-testid=queue-window]").TextContent, StringComparison.Ordinal);
            Assert.Contains("排队中", cut.Markup, StringComparison.Ordinal);
        });
    }

    private static readonly AgentStat Alice = new(Guid.NewGuid(), "Alice Martin", Presence.Online, null, 3, 1, 3, 10);
    private static readonly AgentStat Bob = new(Guid.NewGuid(), "Bob Chen", Presence.Away, "Lunch", 0, 0, 3, 10);
    private static readonly AgentStat Ann = new(Guid.NewGuid(), "Ann Offline", Presence.Offline, null, 0, 0, 3, 10);

    [Fact]
    public void AgentBoard_ShowsStatesLoadsAndCounts_AndSettingAStateInvokesTheCallback()
    {
        AgentPresenceRequest? picked = null;
        var cut = _context.Render<AgentBoard>(p => p.Add(x => x.Agents, [Ann, Bob, Alice])
            .Add(x => x.SetPresence, (AgentPresenceRequest r) => picked = r));

        var rows = cut.FindAll("[data-testid=agent-row]");
        // Online first, then away, then offline.
        Assert.Equal([Alice.AgentId.ToString(), Bob.AgentId.ToString(), Ann.AgentId.ToString()], rows.Select(r => r.GetAttribute("data-agent")));
        Assert.Equal("online", rows[0].QuerySelector("[data-testid=agent-state]")!.GetAttribute("data-presence"));
        Assert.Contains("3 / 3", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Away · Lunch", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("1", cut.Find("[data-testid=agents-away]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["agents-online", "agents-away", "agents-offline"], cut.FindAll("[data-testid^=agents-]").Select(c => c.GetAttribute("data-testid")));
        // Her current state cannot be picked again.
        Assert.True(rows[0].QuerySelector("button[data-testid=set-online]")!.HasAttribute("disabled"));

        cut.FindAll("[data-testid=agent-row]")[0].QuerySelector("button[data-testid=set-away]")!.Click();

        Assert.Equal(new AgentPresenceRequest(Alice.AgentId, Presence.Away), picked);
    }

    [Fact]
    public void AgentBoard_InChinese_TranslatesHeadersAndStates()
    {
        InChinese(() =>
        {
            var cut = _context.Render<AgentBoard>(p => p.Add(x => x.Agents, [Alice]));

            Assert.Contains("设置状态", cut.Find("thead").TextContent, StringComparison.Ordinal);
            Assert.Contains("在线", cut.Find("[data-testid=agent-state]").TextContent, StringComparison.Ordinal);
        });
    }

    private static readonly WaitingConversation Waiting = new(Guid.NewGuid(), 1042, "Refund for order #48213", ChannelKind.WebChat, Priority.Normal, Now.AddSeconds(-75));

    [Fact]
    public void WaitingList_ShowsTheWaitLinksToTheConsole_AndRendersTheRowActions()
    {
        Guid? actionFor = null;
        RenderFragment<Guid> actions = id => builder =>
        {
            actionFor = id;
            builder.AddMarkupContent(0, "<button data-testid=\"row-action\">act</button>");
        };

        var cut = _context.Render<WaitingList>(p => p.Add(x => x.Items, [("Billing", (IReadOnlyList<WaitingConversation>)[Waiting])])
            .Add(x => x.Now, Now).Add(x => x.Actions, actions));

        var row = cut.Find("[data-testid=waiting-row]");
        Assert.Equal("1m", row.QuerySelector("[data-testid=waiting-for]")!.TextContent);
        Assert.Equal($"/console?conversation={Waiting.Id:D}", row.QuerySelector("a[data-testid=open-conversation]")!.GetAttribute("href"));
        Assert.Contains("Billing", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector("[data-testid=row-action]"));
        Assert.Equal(Waiting.Id, actionFor);
        Assert.Equal("1", cut.Find("[data-testid=waiting-count]").TextContent.Trim());
    }

    [Fact]
    public void WaitingList_Empty_SaysNobodyWaits_InEnglishAndChinese()
    {
        var cut = _context.Render<WaitingList>(p => p.Add(x => x.Items, []));
        Assert.Equal("Nobody is waiting.", cut.Find("[data-testid=waiting-empty]").TextContent);

        InChinese(() =>
        {
            var zh = _context.Render<WaitingList>(p => p.Add(x => x.Items, []));
            Assert.Equal("暂无排队的客户。", zh.Find("[data-testid=waiting-empty]").TextContent);
            Assert.Contains("正在排队", zh.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ReassignMenu_ListsAgentsOnlineFirstAndTeams_AndPickingOneInvokesTheCallback()
    {
        ReassignRequest? picked = null;
        var conversation = Guid.NewGuid();
        var billing = new DirectoryTeamDto(Guid.NewGuid(), "Billing");
        var popovers = _context.Render<MudPopoverProvider>();
        var cut = _context.Render<ReassignMenu>(p => p.Add(x => x.ConversationId, conversation)
            .Add(x => x.Agents, [new DirectoryAgentDto(Bob.AgentId, "Bob Chen", Presence.Away, []), new DirectoryAgentDto(Alice.AgentId, "Alice Martin", Presence.Online, [])])
            .Add(x => x.Teams, [billing])
            .Add(x => x.Reassign, (ReassignRequest r) => picked = r));

        await cut.InvokeAsync(() => cut.FindComponent<MudMenu>().Instance.OpenMenuAsync(EventArgs.Empty));
        var agents = popovers.FindAll("[data-testid=reassign-agent]");
        Assert.Equal(["Alice Martin", "Bob Chen"], agents.Select(a => a.TextContent.Trim()));
        popovers.Find("[data-testid=reassign-agent]").Click();
        Assert.Equal(new ReassignRequest(conversation, Alice.AgentId, null), picked);

        await cut.InvokeAsync(() => cut.FindComponent<MudMenu>().Instance.OpenMenuAsync(EventArgs.Empty));
        popovers.Find("[data-testid=reassign-team]").Click();
        Assert.Equal(new ReassignRequest(conversation, null, billing.Id), picked);
    }

    [Fact]
    public void SlaWatch_WithActions_LinksEachRowAndRendersItsActions()
    {
        var item = new SlaWatchItem(Guid.NewGuid(), 51, "Refund", null, null, Priority.High, SlaMetric.FirstResponse, Now.AddMinutes(-2), SlaState.Breached);
        RenderFragment<Guid> actions = id => builder => builder.AddMarkupContent(0, $"<button data-testid=\"row-action\" data-for=\"{id}\">act</button>");

        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, new SlaWatchList(Now, [], [item])).Add(x => x.Now, Now).Add(x => x.Actions, actions));

        var row = cut.Find("[data-testid=sla-breached] [data-testid=sla-row]");
        Assert.Equal($"/console?conversation={item.ConversationId:D}", row.QuerySelector("a[data-testid=open-conversation]")!.GetAttribute("href"));
        Assert.Equal(item.ConversationId.ToString(), row.QuerySelector("[data-testid=row-action]")!.GetAttribute("data-for"));
    }

    private static void InChinese(Action test)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            test();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
