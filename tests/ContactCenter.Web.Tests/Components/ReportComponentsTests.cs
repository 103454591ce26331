using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using ContactCenter.Application.Reports;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Components.Console;
using ContactCenter.Web.Components.Reports;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed partial class ReportComponentsTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 20);
    private static readonly ReportRange March = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 7));
    private readonly BunitContext _context = new();

    public ReportComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static AgentPerformanceRow Agent(string name, int replies, double? firstMedian) =>
        new(Guid.NewGuid(), name, 3, 2, replies, 2, firstMedian, firstMedian, 1, 90, 90, 0, null, null);

    [Fact]
    public void RangePicker_Preset_RaisesThatPeriodAndHighlightsTheActivePreset()
    {
        ReportRange? chosen = null;
        var cut = _context.Render<ReportRangePicker>(p => p.Add(x => x.From, Today.AddDays(-29)).Add(x => x.To, Today).Add(x => x.Today, Today)
            .Add(x => x.RangeChanged, (ReportRange r) => chosen = r));

        Assert.Contains("mud-button-filled", cut.Find("[data-testid=preset-30d]").ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-button-filled", cut.Find("[data-testid=preset-7d]").ClassName, StringComparison.Ordinal);
        cut.Find("[data-testid=preset-7d]").Click();
        Assert.Equal(new ReportRange(new DateOnly(2026, 3, 14), Today), chosen);
        cut.Find("[data-testid=preset-month]").Click();
        Assert.Equal(new ReportRange(new DateOnly(2026, 3, 1), Today), chosen);
        cut.Find("[data-testid=preset-today]").Click();
        Assert.Equal(new ReportRange(Today, Today), chosen);
    }

    [Fact]
    public void VolumeReport_Rows_ShowTotalsPerChannelAStackedChartAndTheCsvLinkForThePeriod()
    {
        var cut = _context.Render<VolumeReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows,
        [
            new VolumeRow(new DateOnly(2026, 3, 2), ChannelKind.Email, "Support", 10),
            new VolumeRow(new DateOnly(2026, 3, 2), ChannelKind.WebChat, "No team", 3),
            new VolumeRow(new DateOnly(2026, 3, 5), ChannelKind.Email, "Sales", 1200),
        ]));

        Assert.Equal("1,213", cut.Find("[data-testid=volume-total]").TextContent);
        Assert.Equal(["1,210Email", "3WebChat"], cut.FindAll("[data-testid=volume-channel]").Select(e => e.TextContent.Trim()));
        Assert.Equal("/api/v1/reports/volume?from=2026-03-01&to=2026-03-07&format=csv", cut.Find("[data-testid=report-volume-csv]").GetAttribute("href"));
        Assert.NotNull(cut.Find("[data-testid=report-volume-csv]").GetAttribute("download"));
        Assert.NotEmpty(cut.FindAll("[data-testid=report-volume] svg"));
    }

    [Fact]
    public void ResponseTimesReport_Rows_FormatMinutesHoursAndDaysAndLeaveMissingTimesBlank()
    {
        var cut = _context.Render<ResponseTimesReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows,
            [new ResponseTimeRow(ChannelKind.Email, "Support", 10, 9, 4.5, 90, 4, 2880, null)]));

        var cells = cut.Find("[data-testid=response-times-row]").QuerySelectorAll("td").Select(td => td.TextContent).ToArray();
        Assert.Equal(["Email", "Support", "10", "9", "4.5 min", "1.5 h", "4", "2 d", "—"], cells);
        Assert.Equal("/api/v1/reports/response-times?from=2026-03-01&to=2026-03-07&format=csv", cut.Find("[data-testid=report-response-times-csv]").GetAttribute("href"));
        Assert.NotEmpty(cut.FindAll("[data-testid=report-response-times] svg"));
    }

    [Fact]
    public void SlaAndCsatReports_Rows_ShowSharesAsPercentages()
    {
        var sla = _context.Render<SlaReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows, [new SlaComplianceRow("Support", 10, 1, 0, 2, 2, 0.8)]));
        var csat = _context.Render<CsatReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows, [new CsatRow("Support", 4, 4.25, 0.75)]));

        Assert.Equal(["Support", "10", "1", "0", "2", "80 %"], sla.Find("[data-testid=sla-row]").QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["Support", "4", "4.25", "75 %"], csat.Find("[data-testid=csat-row]").QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.EndsWith("/csat?from=2026-03-01&to=2026-03-07&format=csv", csat.Find("[data-testid=report-csat-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void AgentReport_HeaderClick_SortsByThatColumnAndAgainReverses()
    {
        var cut = _context.Render<AgentReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows, [Agent("Bo", 7, 3), Agent("Ann", 12, null), Agent("Cy", 2, 1)]));
        string[] Names() => cut.FindAll("[data-testid=agent-name]").Select(e => e.TextContent).ToArray();

        Assert.Equal(["Ann", "Bo", "Cy"], Names());
        var replies = cut.FindAll("th .mud-table-sort-label").Single(e => e.TextContent.Contains("Replies", StringComparison.Ordinal));
        replies.Click();
        Assert.Equal(["Cy", "Bo", "Ann"], Names());
        cut.FindAll("th .mud-table-sort-label").Single(e => e.TextContent.Contains("Replies", StringComparison.Ordinal)).Click();
        Assert.Equal(["Ann", "Bo", "Cy"], Names());
        Assert.Equal("/api/v1/reports/agents?from=2026-03-01&to=2026-03-07&format=csv", cut.Find("[data-testid=report-agents-csv]").GetAttribute("href"));
    }

    [Fact]
    public void AgentReport_EnterOnAFocusableHeader_SortsLikeAClick()
    {
        var cut = _context.Render<AgentReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows, [Agent("Bo", 7, 3), Agent("Ann", 12, null), Agent("Cy", 2, 1)]));
        AngleSharp.Dom.IElement Header(string text) => cut.FindAll("th .mud-table-sort-label").Single(e => e.TextContent.Contains(text, StringComparison.Ordinal));

        Assert.Equal("0", Header("First response median").GetAttribute("tabindex"));
        Header("First response median").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal(["Cy", "Bo", "Ann"], cut.FindAll("[data-testid=agent-name]").Select(e => e.TextContent)); // 1 min, 3 min, none last
    }

    [Fact]
    public void CsvLinks_WithChannelAndTeamFilters_CarryThemAndTheAgentReportSaysItIsNotFiltered()
    {
        var team = Guid.Parse("0b1c7f5e-0000-4000-8000-000000000001");
        var filtered = March with { Channel = ChannelKind.WhatsApp, TeamId = team };

        var cut = _context.Render<AgentReport>(p => p.Add(x => x.Range, filtered).Add(x => x.Rows, [Agent("Bo", 7, 3)]));

        Assert.Equal("/api/v1/reports/agents?from=2026-03-01&to=2026-03-07&channel=WhatsApp&team=0b1c7f5e-0000-4000-8000-000000000001&format=csv",
            cut.Find("[data-testid=report-agents-csv]").GetAttribute("href"));
        Assert.NotNull(cut.Find("[data-testid=agents-unfiltered]"));
        Assert.Equal("/api/v1/reports/conversations.csv?from=2026-03-01&to=2026-03-07&channel=WhatsApp&team=0b1c7f5e-0000-4000-8000-000000000001",
            ReportFormat.ConversationsHref(filtered));
    }

    [Fact]
    public void AgentReport_NoRows_SaysSoInsteadOfAnEmptyTable()
    {
        var cut = _context.Render<AgentReport>(p => p.Add(x => x.Range, March).Add(x => x.Rows, []));

        Assert.Empty(cut.FindAll("[data-testid=agents-table]"));
        Assert.Equal("Nothing in this period.", cut.Find("[data-testid=report-agents-empty]").TextContent);
    }

    [Fact]
    public void ReportsStrings_EveryUiText_HasASimplifiedChineseTranslation()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ContactCenter.sln")))
        {
            root = root.Parent;
        }

        var components = Path.Combine(root?.FullName ?? throw new InvalidOperationException("ContactCenter.sln not found above the test folder."), "src", "ContactCenter.Web", "Components");
        var files = Directory.GetFiles(Path.Combine(components, "Reports"), "*.*").Append(Path.Combine(components, "Pages", "ReportsPage.razor"));
        var texts = files.SelectMany(f => UiText().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.True(texts.Count >= 30, $"only {texts.Count} texts found");
            Assert.Equal([], texts.Where(t => Ui.T(t) == t).ToArray());
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [GeneratedRegex("""Ui\.T\("([^"]+)"\)""")]
    private static partial Regex UiText();
}
