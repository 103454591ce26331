using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// Real agent consoles (Blazor Server circuits) in headless Chromium pages: the server's memory per open console, and the
/// time from a customer's message to its text being rendered in a console (a MutationObserver timestamps it in the page).
/// Baselines in the same run: the same number of pages that load the sign-in page only (no circuit), and the same
/// messages as received by plain /hubs/agent clients (the SignalR delivery the console renders from).
/// </summary>
internal static class ConsoleScenario
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private const string Password = "Bench-console-2345!";

    // Records, per page, when a text "BENCHMSG-<n>" first appears anywhere in the document (epoch ms, same clock as the bench).
    private const string Observer = """
        () => {
          window.__ccSeen = window.__ccSeen || {};
          const scan = (t) => { if (!t) return; const re = /BENCHMSG-(\d+)/g; let m; while ((m = re.exec(t))) { if (!(m[1] in window.__ccSeen)) window.__ccSeen[m[1]] = Date.now(); } };
          new MutationObserver(ms => { for (const r of ms) { if (r.type === 'characterData') scan(r.target.textContent); for (const n of r.addedNodes) scan(n.textContent); } })
            .observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(ChromiumPath))
        {
            throw new BenchFailedException($"Chromium is not installed at {ChromiumPath} (apt-get install chromium).");
        }

        var wallStart = Clock.Now;
        var consoles = options.Agents ?? (options.Short ? 10 : 60);
        var messages = options.Customers ?? (options.Short ? 10 : 30);
        var report = new BenchReport("console", options.Short);
        report.Params["consoles"] = consoles;
        report.Params["messages"] = messages;

        var folder = Path.Combine(Path.GetTempPath(), "cc-bench", "console-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "cc.db")}";
        await using var db = await BenchDatabase.OpenAsync(connectionString, folder, cancellationToken);
        var setup = await db.SeedAsync(1, consoles + 1, Math.Max(5, messages), offers: false, Log.Line, cancellationToken);
        var emails = await db.SetPasswordsAsync(setup.Agents, Password, cancellationToken);
        var settings = new Dictionary<string, string>
        {
            ["RateLimits__WidgetSessionsPerMinute"] = "1000000",
            ["RateLimits__SignInPerMinute"] = "1000000",
            // The built (not published) app serves Blazor's and MudBlazor's static web assets only in Development.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        await using var server = await ProductServer.StartAsync(options.ServerDll ?? RepoPaths.WebDll, folder, connectionString, settings, cancellationToken);
        report.Params["target"] = $"product server pid {server.Pid} (SQLite in {folder})";
        Log.Line($"console: {consoles} consoles in headless Chromium, {messages} customer messages, against {server.BaseUrl}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
        });

        // Warm-up: one console (the last agent) so JIT, caches and the first circuit's fixed costs are not counted per console.
        var warm = await OpenConsoleAsync(browser, server.BaseUrl, emails[^1], cancellationToken);
        await warm.Context.CloseAsync();

        // Baseline: the same number of pages that only load the sign-in page (HTTP + static render, no circuit).
        var before = await SettledRssMbAsync(server.Pid, cancellationToken);
        var plain = new List<IBrowserContext>();
        for (var i = 0; i < consoles; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl.ToString() });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/account/login");
            plain.Add(context);
        }

        var afterPlain = await SettledRssMbAsync(server.Pid, cancellationToken);
        foreach (var context in plain)
        {
            await context.CloseAsync();
        }

        // The consoles, signed in one after another, each live (hub connected, list loaded) before the next.
        var baseRss = await SettledRssMbAsync(server.Pid, cancellationToken);
        var pages = new List<IPage>();
        var openStart = Clock.Now;
        for (var i = 0; i < consoles; i++)
        {
            var (_, page) = await OpenConsoleAsync(browser, server.BaseUrl, emails[i], cancellationToken);
            await page.EvaluateAsync(Observer);
            pages.Add(page);
            if ((i + 1) % 10 == 0)
            {
                Log.Line($"  {i + 1}/{consoles} consoles live");
            }
        }

        var openSeconds = Clock.Now - openStart;
        var afterConsoles = await SettledRssMbAsync(server.Pid, cancellationToken);
        var perCircuit = (afterConsoles - baseRss) / consoles;
        var perPlainPage = (afterPlain - before) / consoles;

        // Hub baseline: every agent also listens on /hubs/agent with its token and timestamps MessageCreated.
        var hubSeen = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var hubs = new List<HubConnection>();
        foreach (var agent in setup.Agents.Take(consoles))
        {
            var hub = Hubs.Build(server.BaseUrl, Hubs.Agent, agent.Token);
            hub.On<System.Text.Json.JsonElement>("MessageCreated", m =>
            {
                var text = m.TryGetProperty("text", out var t) ? t.GetString() : null;
                if (text is not null && text.StartsWith("BENCHMSG-", StringComparison.Ordinal))
                {
                    hubSeen.TryAdd(text.Split(' ')[0]["BENCHMSG-".Length..], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                }
            });
            await hub.StartAsync(cancellationToken);
            hubs.Add(hub);
        }

        // Customers write one message each, spaced out; the time each was sent is the same epoch clock the pages use.
        using var http = Hubs.Http(server.BaseUrl);
        var sentAt = new Dictionary<string, double>(StringComparer.Ordinal);
        var customers = new List<HubConnection>();
        for (var k = 0; k < messages; k++)
        {
            var session = await Hubs.StartSessionAsync(http, setup.InboxIds[0], $"Bench customer {k + 1}", cancellationToken);
            var chat = Hubs.Build(server.BaseUrl, Hubs.Chat, session.VisitorToken);
            await chat.StartAsync(cancellationToken);
            customers.Add(chat);
            sentAt[k.ToString(CultureInfo.InvariantCulture)] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await chat.InvokeAsync<ChatSendResult>("SendMessage", new ChatSendRequest($"bench-{k}", $"BENCHMSG-{k} where is my order?"), cancellationToken);
            await Task.Delay(300, cancellationToken);
        }

        // Collect what the pages saw (bounded wait).
        var rendered = new Dictionary<string, double>(StringComparer.Ordinal);
        var deadline = Clock.Now + 30;
        while (Clock.Now < deadline && rendered.Count < messages)
        {
            foreach (var page in pages)
            {
                var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__ccSeen || {}");
                foreach (var (marker, at) in seen)
                {
                    rendered[marker] = rendered.TryGetValue(marker, out var known) ? Math.Min(known, at) : at;
                }
            }

            if (rendered.Count < messages)
            {
                await Task.Delay(500, cancellationToken);
            }
        }

        var renderLatency = LatencyLog.Summarize(rendered.Where(r => sentAt.ContainsKey(r.Key)).Select(r => r.Value - sentAt[r.Key]).ToArray());
        var hubLatency = LatencyLog.Summarize(hubSeen.Where(r => sentAt.ContainsKey(r.Key)).Select(r => r.Value - sentAt[r.Key]).ToArray());

        var r = report.Results;
        r["server_rss_before_consoles_mb"] = Figures.Num(baseRss, 1);
        r["server_rss_with_consoles_mb"] = Figures.Num(afterConsoles, 1);
        r["memory_per_console_mb"] = Figures.Num(perCircuit, 2);
        r["extrapolated_500_consoles_mb"] = Figures.Num(baseRss + 500 * perCircuit, 0);
        r["console_open_s_avg"] = Figures.Num(openSeconds / consoles, 2);
        r["message_to_rendered_p50_ms"] = Figures.Num(renderLatency.P50, 0);
        r["message_to_rendered_p99_ms"] = Figures.Num(renderLatency.P99, 0);
        r["message_to_rendered_max_ms"] = Figures.Num(renderLatency.Max, 0);
        r["messages_rendered"] = rendered.Count(k => sentAt.ContainsKey(k.Key));
        report.Baseline["memory_per_plain_page_mb"] = Figures.Num(perPlainPage, 2);
        report.Baseline["message_to_hub_client_p50_ms"] = Figures.Num(hubLatency.P50, 0);
        report.Baseline["message_to_hub_client_p99_ms"] = Figures.Num(hubLatency.P99, 0);
        report.Ratios["rendered_p99_vs_hub"] = Figures.Num(renderLatency.P99 / hubLatency.P99, 2);
        report.Targets.Add(new TargetCheck("memory per console circuit", "< 1 MB", perCircuit, perCircuit < 1));
        report.Targets.Add(new TargetCheck("message to rendered p99", "< 200 ms", renderLatency.P99, renderLatency.P99 < 200));
        report.Notes.Add($"Memory is the server's resident set (VmRSS) after a settle (GC cannot be forced from outside), {consoles} consoles measured, 500 extrapolated linearly; one headless Chromium on the same 2-core machine renders every console, so latency includes the browser's own scheduling.");
        report.Notes.Add("The server runs in Development (the built app serves Blazor's static web assets only there), demo seeding off, logging at Warning.");
        report.Notes.Add("Each console is a Blazor circuit plus its own /hubs/agent connection (ADR 002); memory per console includes both.");

        await Hubs.StopQuietlyAsync(customers);
        await Hubs.StopQuietlyAsync(hubs);
        report.WallSeconds = Clock.Now - wallStart;
        return report;
    }

    private static async Task<(IBrowserContext Context, IPage Page)> OpenConsoleAsync(IBrowser browser, Uri baseUrl, string email, CancellationToken cancellationToken)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fconsole");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console");
        await page.Locator("[data-testid=console][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        cancellationToken.ThrowIfCancellationRequested();
        return (context, page);
    }

    /// <summary>The server's resident memory once it has settled (two readings a second apart within 1 MB, at most 10 s).</summary>
    private static async Task<double> SettledRssMbAsync(int pid, CancellationToken cancellationToken)
    {
        var last = ReadRssMb(pid);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(1000, cancellationToken);
            var now = ReadRssMb(pid);
            if (Math.Abs(now - last) < 1)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private static double ReadRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new BenchFailedException("No VmRSS for the server process.");
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
