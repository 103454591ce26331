using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Bench;

internal static class RepoPaths
{
    /// <summary>The folder holding ContactCenter.sln, found above the bench's binaries (or the current folder).</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Environment.CurrentDirectory)
        ?? throw new BenchFailedException("ContactCenter.sln not found above the bench or the current folder.");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The product's commit and whether src/ has uncommitted changes (read-only git; "unknown" without git).</summary>
    public static (string Commit, string Tree) ProductVersion()
    {
        try
        {
            var commit = Git("rev-parse --short HEAD").Trim();
            var dirty = Git("--no-optional-locks status --porcelain -- src").Trim().Length > 0;
            return (commit.Length > 0 ? commit : "unknown", dirty ? "src/ has uncommitted changes" : "clean");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ("unknown", "unknown");
        }
    }

    private static string Git(string arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit(10_000);
        return git.ExitCode == 0 ? output : "";
    }

    public static string WebDll => Path.Combine(Root, "src", "ContactCenter.Web", "bin", Configuration, "net10.0", "ContactCenter.Web.dll");
}

/// <summary>The product, started by the bench as a child process on loopback, on a database the bench prepared.</summary>
internal sealed class ProductServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ProductServer(Process process, Uri baseUrl, StreamWriter log, string logPath)
    {
        _process = process;
        BaseUrl = baseUrl;
        _log = log;
        LogPath = logPath;
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// For the write-path scenarios (chat, routing, api, email, webhooks): no knowledge-base import at start and no folder
    /// watch. The import embeds every kb-content article with MiniLM, which took seconds of both cores and overlapped the
    /// measured phase (a start-up cost, not the steady state these scenarios measure); the kb and assist scenarios keep it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> WithoutKnowledgeImport = new Dictionary<string, string>
    {
        ["KnowledgeBase__ImportOnStart"] = "false",
        ["KnowledgeBase__Watch"] = "false",
    };

    public int Pid => _process.Id;

    /// <summary>The port of the product's built-in SMTP receiver (Email:Smtp:Port).</summary>
    public int SmtpPort { get; private init; }

    public string LogPath { get; }

    public static async Task<ProductServer> StartAsync(string dll, string dataFolder, string connectionString, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(dll))
        {
            throw new BenchFailedException($"The web app is not built: {dll} is missing. Run `dotnet build -c {RepoPaths.Configuration} src/ContactCenter.Web` " +
                "(`dotnet run -c Release --project bench/ContactCenter.Bench` builds it first), or pass --server-dll.");
        }

        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__ContactCenter"] = connectionString;
        start.Environment["Seed__Demo"] = "false";
        start.Environment["Bench__RelayHub"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["Email__Smtp__Port"] = FreePort().ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var smtpPort = int.Parse(start.Environment["Email__Smtp__Port"]!, CultureInfo.InvariantCulture);

        var logPath = Path.Combine(dataFolder, "server.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new BenchFailedException("Could not start `dotnet` for the web app.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ProductServer(process, url, log, logPath) { SmtpPort = smtpPort };

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new BenchFailedException($"The web app exited with code {process.ExitCode} before answering /health. Its log:\n{Tail(logPath)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                await server.DisposeAsync();
                throw new BenchFailedException($"The web app did not answer GET /health with 200 within 90 s. Its log:\n{Tail(logPath)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public static string Tail(string path, int lines = 40)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Error lines the server logged (the bench runs it at Warning level).</summary>
    public IReadOnlyList<string> LoggedFailures(int max)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            // The console logger writes "fail: Category[id]" and the message on the next line.
            var lines = reader.ReadToEnd().Split('\n');
            return lines
                .Select((line, i) => (line, next: i + 1 < lines.Length ? lines[i + 1].Trim() : ""))
                .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
                .Select(l => $"{l.line.Trim()} {l.next}")
                .Distinct(StringComparer.Ordinal)
                .Take(max)
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public int CountLogged(string prefix)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Our own child: stop it (and anything it started) by its id.
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
