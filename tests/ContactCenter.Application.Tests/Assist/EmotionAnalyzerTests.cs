using System.Diagnostics;
using System.Globalization;
using ContactCenter.Application.Assist;
using ContactCenter.Domain.Conversations;
using Xunit.Abstractions;

namespace ContactCenter.Application.Tests.Assist;

public sealed class EmotionAnalyzerTests(ITestOutputHelper output)
{
    private static readonly EmotionAnalyzer Analyzer = EmotionAnalyzer.Instance;

    /// <summary>The labelled test set (302 messages, English and Chinese). Never used for tuning: see emotion-dev.tsv.</summary>
    [Fact]
    public void Analyze_LabelledTestSet_UpsetPrecisionAndRecallAtLeast80Percent()
    {
        var rows = Load("emotion-test-en.tsv").Concat(Load("emotion-test-zh.tsv")).ToList();
        Assert.True(rows.Count >= 300, $"only {rows.Count} labelled messages");

        foreach (var lang in new[] { "en", "zh", "all" })
        {
            var subset = rows.Where(r => lang == "all" || r.Lang == lang).ToList();
            var (precision, recall, exact) = Measure(subset);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lang}: n={subset.Count} upset precision={precision:0.000} recall={recall:0.000} three-way accuracy={exact:0.000}"));
        }

        foreach (var miss in rows.Select(r => (r, a: Analyzer.Analyze(r.Text))).Where(x => (x.a.Label != EmotionLabel.Calm) != (x.r.Label != EmotionLabel.Calm)))
        {
            output.WriteLine($"  miss: {miss.r.Label} read as {miss.a.Label} ({miss.a.Upset}): {miss.r.Text}");
        }

        var (p, r, _) = Measure(rows);
        Assert.True(p >= 0.8, $"upset precision {p:0.000}");
        Assert.True(r >= 0.8, $"upset recall {r:0.000}");
        foreach (var lang in new[] { "en", "zh" })
        {
            var (pl, rl, _) = Measure(rows.Where(x => x.Lang == lang).ToList());
            Assert.True(pl >= 0.75 && rl >= 0.75, $"{lang}: precision {pl:0.000}, recall {rl:0.000}");
        }
    }

    [Fact]
    public void Analyze_DevSet_PrintsFigures()
    {
        var rows = Load("emotion-dev.tsv");
        var (p, r, exact) = Measure(rows);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dev: n={rows.Count} precision={p:0.000} recall={r:0.000} exact={exact:0.000}"));
        foreach (var row in rows)
        {
            var a = Analyzer.Analyze(row.Text);
            output.WriteLine($"  {(a.Label == row.Label ? " " : "x")} {row.Label,-10} {a.Label,-10} {a.Upset,6} [{string.Join(", ", a.Signals)}] {row.Text}");
        }

        Assert.True(p >= 0.8 && r >= 0.8);
    }

    [Theory]
    [InlineData("I want to speak to a manager now, this is the third time!!!", EmotionLabel.Angry)]
    [InlineData("我要投诉，叫你们经理出来！", EmotionLabel.Angry)]
    [InlineData("Not bad, thanks!", EmotionLabel.Calm)]
    [InlineData("麻烦帮我查一下物流，谢谢", EmotionLabel.Calm)]
    [InlineData("Thanks, but it still doesn't work after two weeks of waiting.", EmotionLabel.Frustrated)]
    public void Analyze_TypicalMessages_Labelled(string text, EmotionLabel expected) =>
        Assert.Equal(expected, Analyzer.Analyze(text).Label);

    [Fact]
    public void Analyze_EscalationWords_AreReportedAsSignals()
    {
        var analysis = Analyzer.Analyze("This is unacceptable, I want a refund now and I'm filing a complaint.");
        Assert.True(analysis.HasEscalationSignal);
        Assert.Contains("complaint", analysis.Signals);
        Assert.InRange(analysis.Score, 0.5, 1);
    }

    [Fact]
    public void Analyze_ThousandMessages_PrintsCostPerMessage()
    {
        var rows = Load("emotion-test-en.tsv").Concat(Load("emotion-test-zh.tsv")).Select(r => r.Text).ToList();
        Analyzer.Analyze("warm up");
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 1000; i++)
        {
            Analyzer.Analyze(rows[i % rows.Count]);
        }

        var perMessage = Stopwatch.GetElapsedTime(started).TotalMicroseconds / 1000;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{perMessage:0.0} µs per message"));
    }

    internal static (double Precision, double Recall, double Exact) Measure(IReadOnlyList<Row> rows)
    {
        int tp = 0, fp = 0, fn = 0, exact = 0;
        foreach (var row in rows)
        {
            var label = Analyzer.Analyze(row.Text).Label;
            var predicted = label != EmotionLabel.Calm;
            var actual = row.Label != EmotionLabel.Calm;
            tp += predicted && actual ? 1 : 0;
            fp += predicted && !actual ? 1 : 0;
            fn += !predicted && actual ? 1 : 0;
            exact += label == row.Label ? 1 : 0;
        }

        return (tp + fp == 0 ? 0 : (double)tp / (tp + fp), tp + fn == 0 ? 0 : (double)tp / (tp + fn), (double)exact / rows.Count);
    }

    internal sealed record Row(string Lang, EmotionLabel Label, string Text);

    internal static List<Row> Load(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Assist", "Data", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => new Row(p[0], Enum.Parse<EmotionLabel>(p[1], ignoreCase: true), p[2]))
            .ToList();
}
