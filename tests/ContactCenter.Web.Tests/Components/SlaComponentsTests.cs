using System.Globalization;
using Bunit;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using ContactCenter.Web.Components.Console;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed class SlaComponentsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();

    public SlaComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static SlaStatusDto FirstResponseDue(DateTimeOffset due, DateTimeOffset warn, bool paused = false) =>
        new(due, null, due.AddHours(8), SlaMetric.FirstResponse, due, warn, paused);

    private IRenderedComponent<SlaChip> RenderChip(SlaStatusDto? sla) =>
        _context.Render<SlaChip>(p => p.Add(x => x.Sla, sla).Add(x => x.Now, Now));

    [Fact]
    public void SlaChip_BeforeTheWarning_IsNeutralWithTheTimeLeft()
    {
        var cut = RenderChip(FirstResponseDue(Now.AddMinutes(40), Now.AddMinutes(25)));

        var chip = cut.Find("[data-testid=sla-chip]");
        Assert.Equal("ontrack", chip.GetAttribute("data-state"));
        Assert.Contains("First response", chip.TextContent, StringComparison.Ordinal);
        Assert.Contains("40m", chip.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-chip-color-warning", chip.ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-chip-color-error", chip.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaChip_PastTheWarning_TurnsAmber()
    {
        var cut = RenderChip(FirstResponseDue(Now.AddMinutes(10), Now.AddMinutes(-5)));

        var chip = cut.Find("[data-testid=sla-chip]");
        Assert.Equal("atrisk", chip.GetAttribute("data-state"));
        Assert.Contains("mud-chip-color-warning", chip.ClassName, StringComparison.Ordinal);
        Assert.Contains("10m", chip.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaChip_PastDue_TurnsRedAndSaysHowLongOverdue()
    {
        var cut = RenderChip(FirstResponseDue(Now.AddHours(-2).AddMinutes(-5), Now.AddHours(-3)));

        var chip = cut.Find("[data-testid=sla-chip]");
        Assert.Equal("breached", chip.GetAttribute("data-state"));
        Assert.Contains("mud-chip-color-error", chip.ClassName, StringComparison.Ordinal);
        Assert.Contains("overdue 2h 5m", chip.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaChip_PendingOnTheCustomer_ShowsPaused()
    {
        var cut = RenderChip(FirstResponseDue(Now.AddMinutes(-1), Now.AddMinutes(-20), paused: true));

        var chip = cut.Find("[data-testid=sla-chip]");
        Assert.Equal("paused", chip.GetAttribute("data-state"));
        Assert.Contains("paused", chip.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaChip_NoSla_RendersNothing()
    {
        var cut = RenderChip(null);

        Assert.Empty(cut.FindAll("[data-testid=sla-chip]"));
    }

    [Fact]
    public void SlaChip_ClockTicksPastDue_ChangesFromAmberToRed()
    {
        var sla = FirstResponseDue(Now.AddSeconds(30), Now.AddMinutes(-10));
        var cut = RenderChip(sla);
        Assert.Equal("atrisk", cut.Find("[data-testid=sla-chip]").GetAttribute("data-state"));

        cut.Render(p => p.Add(x => x.Now, Now.AddMinutes(1)));

        Assert.Equal("breached", cut.Find("[data-testid=sla-chip]").GetAttribute("data-state"));
    }

    [Fact]
    public void InboxList_ConversationWithSla_ShowsTheChipInItsRow()
    {
        var summary = new ConversationSummaryDto(Guid.NewGuid(), 7, ChannelKind.Email, Guid.NewGuid(), Guid.NewGuid(), "Ann", "Refund", ConversationStatus.Open, null,
            Priority.Normal, null, null, null, "Refund?", Now, Now, Now.AddMinutes(-30), Now, [], 1, FirstResponseDue(Now.AddMinutes(-1), Now.AddMinutes(-16)));

        var cut = _context.Render<InboxList>(p => p.Add(x => x.Conversations, new List<ConversationSummaryDto> { summary }).Add(x => x.Now, Now));

        var chip = cut.Find("[data-testid=inbox-item] [data-testid=sla-chip]");
        Assert.Equal("breached", chip.GetAttribute("data-state"));
    }

    [Fact]
    public void SlaWatch_AtRiskAndBreached_ListsEachWithCounts()
    {
        var watch = new SlaWatchList(Now,
            [new SlaWatchItem(Guid.NewGuid(), 11, "Late parcel", null, null, Priority.Normal, SlaMetric.FirstResponse, Now.AddMinutes(5), SlaState.AtRisk)],
            [
                new SlaWatchItem(Guid.NewGuid(), 12, "Broken mug", null, null, Priority.High, SlaMetric.Resolution, Now.AddMinutes(-30), SlaState.Breached),
                new SlaWatchItem(Guid.NewGuid(), 13, "Wrong size", null, null, Priority.Urgent, SlaMetric.NextResponse, Now.AddMinutes(-1), SlaState.Breached),
            ]);

        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, watch).Add(x => x.Now, Now));

        var atRisk = cut.Find("[data-testid=sla-at-risk]");
        var breached = cut.Find("[data-testid=sla-breached]");
        Assert.Equal("1", cut.Find("[data-testid=sla-at-risk-count]").TextContent.Trim());
        Assert.Equal("2", cut.Find("[data-testid=sla-breached-count]").TextContent.Trim());
        Assert.Contains("Late parcel", atRisk.TextContent, StringComparison.Ordinal);
        Assert.Equal("atrisk", atRisk.QuerySelector("[data-testid=sla-chip]")!.GetAttribute("data-state"));
        Assert.Equal(2, breached.QuerySelectorAll("[data-testid=sla-row]").Length);
        Assert.All(breached.QuerySelectorAll("[data-testid=sla-chip]"), c => Assert.Equal("breached", c.GetAttribute("data-state")));
    }

    [Fact]
    public void SlaWatch_Empty_SaysNothingAtRiskOrBreached()
    {
        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, new SlaWatchList(Now, [], [])).Add(x => x.Now, Now));

        Assert.Equal(2, cut.FindAll("[data-testid=sla-empty]").Count);
        Assert.Empty(cut.FindAll("[data-testid=sla-row]"));
    }

    [Fact]
    public void SlaWatch_Rows_HaveColumnHeadersAndMarkEscalatedPriorities()
    {
        var watch = new SlaWatchList(Now,
            [new SlaWatchItem(Guid.NewGuid(), 21, "Late parcel", null, null, Priority.Normal, SlaMetric.FirstResponse, Now.AddMinutes(5), SlaState.AtRisk)],
            [new SlaWatchItem(Guid.NewGuid(), 22, "Broken mug", null, null, Priority.Urgent, SlaMetric.Resolution, Now.AddMinutes(-30), SlaState.Breached)]);

        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, watch).Add(x => x.Now, Now));

        var headers = cut.Find("[data-testid=sla-breached] thead").TextContent;
        Assert.Contains("Subject", headers, StringComparison.Ordinal);
        Assert.Contains("Priority", headers, StringComparison.Ordinal);
        var normal = cut.Find("[data-testid=sla-at-risk] [data-testid=sla-priority]");
        var urgent = cut.Find("[data-testid=sla-breached] [data-testid=sla-priority]");
        Assert.Equal("normal", normal.GetAttribute("data-priority"));
        Assert.Empty(normal.QuerySelectorAll("svg"));
        Assert.Equal("urgent", urgent.GetAttribute("data-priority"));
        Assert.Contains("Urgent", urgent.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(urgent.QuerySelectorAll("svg"));
        Assert.Contains("overdue 30m", cut.Find("[data-testid=sla-breached] [data-testid=sla-chip]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaWatch_KeepsTheOrderItIsGiven_MostUrgentFirst()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var watch = new SlaWatchList(Now, [],
            [
                new SlaWatchItem(ids[0], 31, "Oldest", null, null, Priority.High, SlaMetric.FirstResponse, Now.AddHours(-3), SlaState.Breached),
                new SlaWatchItem(ids[1], 32, "Middle", null, null, Priority.High, SlaMetric.FirstResponse, Now.AddHours(-1), SlaState.Breached),
                new SlaWatchItem(ids[2], 33, "Newest", null, null, Priority.High, SlaMetric.FirstResponse, Now.AddSeconds(-5), SlaState.Breached),
            ]);

        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, watch).Add(x => x.Now, Now));

        var rows = cut.FindAll("[data-testid=sla-breached] [data-testid=sla-row]");
        Assert.Equal(ids.Select(i => i.ToString()), rows.Select(r => r.GetAttribute("data-conversation")));
        Assert.Contains("overdue 3h 0m", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("overdue 5s", rows[2].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaWatch_LongSubject_IsClampedWithTheFullTextInItsTitle()
    {
        var subject = string.Concat(Enumerable.Repeat("Refund for the order that arrived broken ", 12));
        var watch = new SlaWatchList(Now, [new SlaWatchItem(Guid.NewGuid(), 41, subject, null, null, Priority.Low, SlaMetric.FirstResponse, Now.AddMinutes(2), SlaState.AtRisk)], []);

        var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, watch).Add(x => x.Now, Now));

        var cell = cut.Find("[data-testid=sla-at-risk] .cc-sla-subject");
        Assert.Equal(subject, cell.GetAttribute("title"));
    }

    [Fact]
    public void SlaWatch_InChinese_TranslatesTitlesHeadersPrioritiesAndChips()
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var watch = new SlaWatchList(Now, [],
                [new SlaWatchItem(Guid.NewGuid(), 51, "退款", null, null, Priority.High, SlaMetric.FirstResponse, Now.AddMinutes(-2), SlaState.Breached)]);

            var cut = _context.Render<SlaWatch>(p => p.Add(x => x.Watch, watch).Add(x => x.Now, Now));

            Assert.Contains("SLA 即将超时", cut.Find("[data-testid=sla-at-risk]").TextContent, StringComparison.Ordinal);
            Assert.Contains("暂无即将超时的会话。", cut.Find("[data-testid=sla-at-risk]").TextContent, StringComparison.Ordinal);
            var breached = cut.Find("[data-testid=sla-breached]");
            Assert.Contains("SLA 已超时", breached.TextContent, StringComparison.Ordinal);
            Assert.Contains("主题", breached.QuerySelector("thead")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("优先级", breached.QuerySelector("thead")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("高", breached.QuerySelector("[data-testid=sla-priority]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("首次响应 已超时 2m", breached.QuerySelector("[data-testid=sla-chip]")!.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(3599, "59m")]
    [InlineData(3600, "1h 0m")]
    [InlineData(12_000, "3h 20m")]
    [InlineData(187_200, "2d 4h")]
    [InlineData(-5, "0s")]
    public void SlaChipSpan_Seconds_FormatsCompactly(int seconds, string expected) =>
        Assert.Equal(expected, SlaChip.Span(TimeSpan.FromSeconds(seconds)));
}
