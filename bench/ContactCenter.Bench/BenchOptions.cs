using System.Globalization;

namespace ContactCenter.Bench;

/// <summary>The command line: `&lt;scenario&gt; [--duration SECONDS] [--short] [--out FILE.json] [--url URL] …`.</summary>
internal sealed class BenchOptions
{
    public string Scenario { get; private set; } = "";
    public bool Short { get; private set; }
    public double? Duration { get; private set; }
    public string? Out { get; private set; }
    public Uri? Url { get; private set; }
    public string? Db { get; private set; }
    public int? ServerPid { get; private set; }
    public Guid? InboxId { get; private set; }
    public string? TokensFile { get; private set; }
    public int? Customers { get; private set; }
    public int? Agents { get; private set; }
    public double? Interval { get; private set; }
    public double? Ramp { get; private set; }
    public int? Teams { get; private set; }
    public int? Waiting { get; private set; }
    public double? Rate { get; private set; }
    public double? KillEvery { get; private set; }
    public double RetryPercent { get; private set; } = 1;
    public bool NoBaseline { get; private set; }
    public string? Backlog { get; private set; }
    public bool Offers { get; private set; }
    public string? ServerDll { get; private set; }
    public bool KeepData { get; private set; }
    public bool Help { get; private set; }

    public const string Usage = """
        usage: dotnet run -c Release --project bench/ContactCenter.Bench -- <scenario> [options]

        scenarios: chat, routing, email, webhooks, kb, chaos (implemented); api, console, reports (not yet)
                   `list` prints them with what each measures.

        common options
          --short              about 30 s per scenario with small numbers (also refreshes bench/results/latest-<scenario>.*)
          --duration SECONDS   measured (steady) seconds of each phase
          --out FILE.json      where to write the JSON (FILE.md and FILE.png are written beside it);
                               default bench/results/<scenario>-<timestamp>.json
          --url URL            target a running server instead of starting one; it needs either
                               --db PATH (its SQLite file: the bench adds its own team, inbox, agents and
                               tokens there and checks lost/duplicated messages at the end) or
                               --inbox ID --tokens FILE (a web chat inbox and agent API tokens, one a line;
                               the database check is then skipped)
          --server-pid PID     with --url: sample that process's CPU and memory
          --teams N            split agents (and one web chat inbox per team) into N teams
                               (default: teams of at most 100 agents)
          --offers             put the bench teams in offer mode: agents accept each offer (OfferReceived →
                               AcceptOffer) and first-message-to-offer is measured too (needs a product with offers)
          --no-baseline        skip the bare relay baseline
          --retry-percent P    share of sends retried with the same client id (default 1)
          --server-dll PATH    the web app to start (default src/ContactCenter.Web/bin/<config>/net10.0/ContactCenter.Web.dll)
          --keep-data          keep the temporary database folder

        chat
          --customers N        concurrent customers (default 4000; short 200)
          --agents M           agents online (default 1300; short 20)
          --interval SECONDS   each customer writes every SECONDS (default 10; short 2)
          --ramp SECONDS       customers join over this time (default 40; short 4)

        chaos
          --customers N        customers writing over both nodes (default 200; short 40)
          --agents M           agents answering over both nodes (default 20; short 4)
          --interval SECONDS   each customer writes every SECONDS (default 2; short 1)
          --kill-every SECONDS a node is killed (SIGKILL) and started again this often, alternating (default 15; short 8)

        routing
          --agents A           agents going online together (default 1000; short 100)
          --waiting W          conversations waiting before they do (default 10000; short 500)
          --rate R             new first messages per second afterwards, for the latency (default 100; short 20)
          --backlog db|widget  how the waiting conversations are made: `db` (default when the bench has the
                               database) runs the product's ingest use case in the bench process; `widget`
                               sends each first message through a widget session and /hubs/chat
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                inline = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..];
                arg = arg[..arg.IndexOf('=', StringComparison.Ordinal)];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{arg} needs a value.");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "-h" or "--help":
                    o.Help = true;
                    break;
                case "--short":
                    o.Short = true;
                    break;
                case "--no-baseline":
                    o.NoBaseline = true;
                    break;
                case "--offers":
                    o.Offers = true;
                    break;
                case "--keep-data":
                    o.KeepData = true;
                    break;
                case "--duration":
                    o.Duration = PositiveDouble(arg, Value());
                    break;
                case "--out":
                    o.Out = Value();
                    break;
                case "--url":
                    o.Url = Uri.TryCreate(Value(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                        ? url
                        : throw new UsageException("--url needs an absolute http(s) address.");
                    break;
                case "--db":
                    o.Db = Value();
                    break;
                case "--server-pid":
                    o.ServerPid = PositiveInt(arg, Value());
                    break;
                case "--inbox":
                    o.InboxId = Guid.TryParse(Value(), out var inbox) ? inbox : throw new UsageException("--inbox needs an inbox id (a GUID).");
                    break;
                case "--tokens":
                    o.TokensFile = Value();
                    break;
                case "--customers":
                    o.Customers = PositiveInt(arg, Value());
                    break;
                case "--agents":
                    o.Agents = PositiveInt(arg, Value());
                    break;
                case "--interval":
                    o.Interval = PositiveDouble(arg, Value());
                    break;
                case "--ramp":
                    o.Ramp = NonNegativeDouble(arg, Value());
                    break;
                case "--teams":
                    o.Teams = PositiveInt(arg, Value());
                    break;
                case "--waiting":
                    o.Waiting = PositiveInt(arg, Value());
                    break;
                case "--kill-every":
                    o.KillEvery = PositiveDouble(arg, Value());
                    break;
                case "--rate":
                    o.Rate = PositiveDouble(arg, Value());
                    break;
                case "--retry-percent":
                    o.RetryPercent = NonNegativeDouble(arg, Value());
                    break;
                case "--backlog":
                    var backlog = Value();
                    o.Backlog = backlog is "db" or "widget" ? backlog : throw new UsageException("--backlog is db or widget.");
                    break;
                case "--server-dll":
                    o.ServerDll = Value();
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new UsageException($"Unknown option {arg}.");
                    }

                    if (o.Scenario.Length > 0)
                    {
                        throw new UsageException($"One scenario at a time ({o.Scenario}, then {arg}).");
                    }

                    o.Scenario = arg.ToLowerInvariant();
                    break;
            }
        }

        if (o.Url is not null && o.Db is null && (o.InboxId is null || o.TokensFile is null))
        {
            throw new UsageException("--url needs --db PATH (the server's SQLite file), or --inbox ID and --tokens FILE.");
        }

        if (o.Url is null && (o.Db is not null || o.InboxId is not null || o.TokensFile is not null || o.ServerPid is not null))
        {
            throw new UsageException("--db, --inbox, --tokens and --server-pid go with --url (without it the bench starts its own server and database).");
        }

        return o;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"{name} needs a positive whole number, not '{value}'.");

    private static double PositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n)
            ? n
            : throw new UsageException($"{name} needs a positive number, not '{value}'.");

    private static double NonNegativeDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n)
            ? n
            : throw new UsageException($"{name} needs a number ≥ 0, not '{value}'.");
}

internal sealed class UsageException(string message) : Exception(message);
