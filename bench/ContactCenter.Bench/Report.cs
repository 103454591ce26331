using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Bench;

internal sealed record TargetCheck(string Figure, string Target, double? Value, bool? Met);

internal sealed record ChartSeries(string Label, double[] X, double[] Y, bool Dashed = false, bool Bars = false);

/// <summary>One chart panel; LogY draws the y axis in decades (latencies of the product and the relay differ by orders of magnitude).</summary>
internal sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series, bool LogY = false);

/// <summary>What a scenario measured: written as JSON (machine-readable), Markdown (people) and a PNG chart.</summary>
internal sealed class BenchReport(string scenario, bool shortMode)
{
    public string Scenario { get; } = scenario;
    public bool ShortMode { get; } = shortMode;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public JsonObject Params { get; } = Defaults();
    public JsonObject Results { get; } = [];
    public JsonObject Baseline { get; } = [];
    public string BaselineTitle { get; set; } = "bare SignalR relay, same server, same load";
    public JsonObject Ratios { get; } = [];
    public List<TargetCheck> Targets { get; } = [];
    public List<string> Notes { get; } = [];
    public List<ChartPanel> Chart { get; } = [];
    public double WallSeconds { get; set; }

    private static JsonObject Defaults()
    {
        var (commit, tree) = RepoPaths.ProductVersion();
        return new JsonObject { ["product_commit"] = commit, ["product_tree"] = tree };
    }
}

internal static class Figures
{
    /// <summary>A number rounded for reading (NaN and infinities become null: "not measured").</summary>
    public static JsonNode? Num(double value, int digits = 2) =>
        double.IsFinite(value) ? JsonValue.Create(Math.Round(value, digits)) : null;

    public static void Latency(JsonObject into, string prefix, LatencyStats stats)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(stats);
        into[$"{prefix}_p50_ms"] = Num(stats.P50);
        into[$"{prefix}_p95_ms"] = Num(stats.P95);
        into[$"{prefix}_p99_ms"] = Num(stats.P99);
        into[$"{prefix}_max_ms"] = Num(stats.Max);
        into[$"{prefix}_samples"] = stats.Count;
    }

    public static double Get(JsonObject from, string key) =>
        from is not null && from[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : double.NaN;

    public static double Ratio(double a, double b) => double.IsFinite(a) && double.IsFinite(b) && b > 0 ? a / b : double.NaN;
}

internal sealed record WrittenFiles(string Json, string Markdown, string Png, IReadOnlyList<string> Copies);

internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static WrittenFiles Write(BenchReport report, BenchOptions options, string repoRoot)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var results = Path.Combine(repoRoot, "bench", "results");
        var json = options.Out is { } o
            ? Path.GetFullPath(o)
            : Path.Combine(results, $"{report.Scenario}-{report.StartedAt.ToLocalTime():yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        var stem = json.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? json[..^5] : json;
        var md = stem + ".md";
        var png = stem + ".png";

        File.WriteAllText(json, Json(report) + "\n");
        File.WriteAllText(md, Markdown(report, Path.GetFileName(png)));
        Charts.Save(report, png);

        var copies = new List<string>();
        if (report.ShortMode && options.Out is null)
        {
            // The latest short run is what bench/README.md and the committed bench/results/latest-* show.
            var latest = Path.Combine(results, $"latest-{report.Scenario}");
            File.Copy(json, latest + ".json", overwrite: true);
            File.WriteAllText(latest + ".md", Markdown(report, $"latest-{report.Scenario}.png"));
            File.Copy(png, latest + ".png", overwrite: true);
            copies.Add(latest + ".{json,md,png}");
        }

        return new WrittenFiles(json, md, png, copies);
    }

    public static string Json(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var targets = new JsonObject();
        foreach (var t in report.Targets)
        {
            targets[t.Figure] = new JsonObject
            {
                ["target"] = t.Target,
                ["value"] = t.Value is { } v ? Figures.Num(v) : null,
                ["met"] = t.Met,
            };
        }

        var root = new JsonObject
        {
            ["scenario"] = report.Scenario,
            ["mode"] = report.ShortMode ? "short" : "full",
            ["started_at"] = report.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["wall_s"] = Figures.Num(report.WallSeconds, 1),
            ["params"] = report.Params.DeepClone(),
            ["machine"] = Machine(),
            ["results"] = report.Results.DeepClone(),
            ["baseline"] = report.Baseline.DeepClone(),
            ["ratios"] = report.Ratios.DeepClone(),
            ["targets"] = targets,
            ["notes"] = new JsonArray(report.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
        };
        return root.ToJsonString(Indented);
    }

    private static JsonObject Machine() => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["memory_gb"] = Figures.Num(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["load_average_1m_at_end"] = LoadAverage(),
        ["note"] = "load generator and server share this machine",
    };

    private static JsonNode? LoadAverage()
    {
        try
        {
            return Figures.Num(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string Markdown(BenchReport report, string pngName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Benchmark `{report.Scenario}` ({(report.ShortMode ? "short" : "full")} mode)\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{report.StartedAt:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {RuntimeInformation.OSDescription} · {RuntimeInformation.FrameworkDescription} · " +
            $"**load generator and server share this machine** · wall time {report.WallSeconds:0} s\n\n");
        md.Append("Parameters: ").Append(string.Join(", ", report.Params.Select(p => $"`{p.Key}={Text(p.Value)}`"))).Append("\n\n");

        if (report.Targets.Count > 0)
        {
            md.Append("| target (issue 11) | measured | goal | met |\n|---|---:|---|:---:|\n");
            foreach (var t in report.Targets)
            {
                var met = t.Met switch { true => "yes", false => "**no**", null => "–" };
                md.Append(CultureInfo.InvariantCulture, $"| {t.Figure} | {(t.Value is { } v && double.IsFinite(v) ? Format(v) : "n/a")} | {t.Target} | {met} |\n");
            }

            md.Append('\n');
        }

        Table(md, "Results (the product)", report.Results);
        Table(md, $"Baseline ({report.BaselineTitle})", report.Baseline);
        Table(md, "Ratios (product ÷ baseline)", report.Ratios);
        if (report.Notes.Count > 0)
        {
            md.Append("## Notes\n\n");
            foreach (var note in report.Notes)
            {
                md.Append("- ").Append(note).Append('\n');
            }

            md.Append('\n');
        }

        md.Append(CultureInfo.InvariantCulture, $"![latency over time]({pngName})\n");
        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, JsonObject figures)
    {
        if (figures.Count == 0)
        {
            return;
        }

        md.Append("## ").Append(title).Append("\n\n| figure | value |\n|---|---:|\n");
        foreach (var (key, value) in figures)
        {
            md.Append("| ").Append(key).Append(" | ").Append(Text(value)).Append(" |\n");
        }

        md.Append('\n');
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "n/a",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Format(double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string Format(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e12 ? d.ToString("#,0", CultureInfo.InvariantCulture) : d.ToString("#,0.##", CultureInfo.InvariantCulture);
}

internal static class Charts
{
    public static void Save(BenchReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var panels = report.Chart.Count > 0 ? report.Chart : [new ChartPanel("(nothing measured)", "s", "ms", [])];
        const int width = 1100;
        const int height = 420;
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height * panels.Count))
            ?? throw new InvalidOperationException("Could not create a drawing surface.");
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        for (var i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            var plot = new ScottPlot.Plot();
            plot.Title(panel.Title, 13);
            plot.XLabel(panel.XLabel, 12);
            plot.YLabel(panel.YLabel, 12);
            var palette = new ScottPlot.Palettes.Category10();
            var n = 0;
            foreach (var series in panel.Series.Where(s => s.X.Length > 0))
            {
                var color = palette.GetColor(n++);
                if (series.Bars)
                {
                    var bars = plot.Add.Bars(series.X, series.Y);
                    bars.LegendText = series.Label;
                    bars.Color = color.WithAlpha(0.6);
                    foreach (var bar in bars.Bars)
                    {
                        bar.Size = 0.8;
                        bar.LineWidth = 0;
                    }

                    continue;
                }

                var ys = panel.LogY ? series.Y.Select(y => Math.Log10(Math.Max(0.01, y))).ToArray() : series.Y;
                var line = plot.Add.ScatterLine(series.X, ys, color);
                line.LegendText = series.Label;
                line.LineWidth = 2;
                line.MarkerSize = series.X.Length <= 40 ? 4 : 0;
                if (series.Dashed)
                {
                    line.LinePattern = ScottPlot.LinePattern.Dashed;
                }
            }

            plot.Axes.AutoScale();
            var values = panel.Series.SelectMany(s => s.Y).DefaultIfEmpty(1).ToList();
            if (panel.LogY)
            {
                var ticks = new ScottPlot.TickGenerators.NumericAutomatic
                {
                    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                    IntegerTicksOnly = true,
                    LabelFormatter = y => Math.Pow(10, y).ToString(y < 0 ? "0.###" : "#,0", CultureInfo.InvariantCulture),
                };
                plot.Axes.Left.TickGenerator = ticks;
                plot.Axes.SetLimitsY(Math.Floor(Math.Log10(Math.Max(0.01, values.Min()))), Math.Ceiling(Math.Log10(Math.Max(1, values.Max()))) + 0.05);
                plot.YLabel(panel.YLabel + " (log scale)", 12);
            }
            else
            {
                plot.Axes.SetLimitsY(0, Math.Max(1, values.Max() * 1.1));
            }
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
            // Each panel on its own surface (a plot clears the canvas it renders to), then stacked.
            using var panelSurface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height))
                ?? throw new InvalidOperationException("Could not create a drawing surface.");
            plot.Render(panelSurface);
            using var panelImage = panelSurface.Snapshot();
            surface.Canvas.DrawImage(panelImage, 0, i * height);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
