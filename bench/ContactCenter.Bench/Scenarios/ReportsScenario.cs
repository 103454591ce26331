using System.Globalization;
using ContactCenter.Application.Reports;
using ContactCenter.Application.Supervision;
using ContactCenter.Domain.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// Reports at scale, in process: a fresh SQLite database (the product's migrations), then N conversations spread over the
/// last 365 days written by prepared raw INSERTs in large transactions (contacts, conversations, a customer message and an
/// agent reply, SLA warnings/breaches, CSAT ratings), matching the EF model's storage (GUIDs as upper-case text, instants
/// as DateTimeOffsetToBinaryConverter integers, enums as integers). Then the supervisor dashboard snapshot and every report
/// over 30 and 365 days are timed through the product's Application services (SupervisorQueries, ReportQueries): first
/// with no roll-up (every day live), then after one ReportRollupService run (closed days from DailyRollups and
/// AgentDailyRollups). Last, the streamed conversations CSV export (ConversationExport, transcripts included) over 30 days
/// into a byte-counting sink: rows/s, MB/s and managed bytes allocated per row.
/// </summary>
internal static class ReportsScenario
{
    private const double TargetMs = 1000;
    private const int Runs = 5;
    private const int LiveRuns = 2;
    private static readonly ValueConverter<DateTimeOffset, long> Instant = new DateTimeOffsetToBinaryConverter();

    private static readonly (ChannelKind Channel, double Share)[] Channels =
    [
        (ChannelKind.WebChat, 0.40), (ChannelKind.Email, 0.30), (ChannelKind.WhatsApp, 0.15), (ChannelKind.Messenger, 0.05),
        (ChannelKind.Telegram, 0.04), (ChannelKind.Sms, 0.03), (ChannelKind.WeChat, 0.03),
    ];

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var count = options.Customers ?? (options.Short ? 100_000 : 1_000_000);
        var teams = options.Teams ?? 8;
        var agents = options.Agents ?? 80;
        var report = new BenchReport("reports", options.Short);
        report.Params["target"] = "in process: the product's Application services (SupervisorQueries, ReportQueries, ReportRollupService) over a SQLite file prepared by the product's migrations; no web server";
        report.Params["conversations"] = count;
        report.Params["teams"] = teams;
        report.Params["agents"] = agents;
        report.Params["runs_per_query"] = Runs;
        report.Params["runs_per_live_query"] = LiveRuns;

        var folder = Path.Combine(Path.GetTempPath(), "cc-bench-reports-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var dbPath = Path.Combine(folder, "cc.db");
        try
        {
            await using var database = await BenchDatabase.OpenAsync($"Data Source={dbPath}", Path.GetTempPath(), cancellationToken);
            var setup = await database.SeedAsync(teams, agents, 5, offers: false, Log.Line, cancellationToken);
            var inboxes = new Dictionary<ChannelKind, Guid>();
            foreach (var (channel, _) in Channels)
            {
                inboxes[channel] = await database.CreateInboxAsync(channel, new Dictionary<string, string>(), false, cancellationToken);
            }

            var teamIds = await TeamIdsAsync(dbPath, cancellationToken);
            var load = Clock.Now;
            var rows = Generate(dbPath, count, teamIds, setup.Agents, inboxes, cancellationToken);
            var loadSeconds = Clock.Now - load;
            Log.Line($"reports: generated {count:N0} conversations in {loadSeconds:0.0} s ({rows.Messages:N0} messages, {rows.SlaEvents:N0} SLA events, {rows.Ratings:N0} ratings)");
            report.Results["generate_seconds"] = Figures.Num(loadSeconds, 1);
            report.Results["db_conversations"] = count;
            report.Results["db_messages"] = rows.Messages;
            report.Results["db_sla_events"] = rows.SlaEvents;
            report.Results["db_csat_ratings"] = rows.Ratings;
            report.Results["db_open_conversations"] = rows.Open;
            report.Results["db_file_mb"] = Figures.Num(new FileInfo(dbPath).Length / 1048576.0, 0);

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var ranges = new[] { ("30d", new ReportRange(today.AddDays(-29), today)), ("365d", new ReportRange(today.AddDays(-365), today)) };
            var timings = new List<(string Name, double P50, double Max, bool Target)>();

            async Task Measure(string name, bool target, Func<IServiceProvider, Task<int>> query, int runs = Runs)
            {
                var times = new List<double>();
                var size = 0;
                for (var i = 0; i <= runs; i++)
                {
                    await using var scope = database.Services.CreateAsyncScope();
                    var started = Clock.Now;
                    size = await query(scope.ServiceProvider);
                    var ms = Clock.MsSince(started);
                    if (i > 0)
                    {
                        times.Add(ms); // the first run warms the model, the JIT and the page cache
                    }
                }

                times.Sort();
                var p50 = times[times.Count / 2];
                var max = times[^1];
                report.Results[$"{name}_p50_ms"] = Figures.Num(p50, 1);
                report.Results[$"{name}_max_ms"] = Figures.Num(max, 1);
                report.Results[$"{name}_rows"] = size;
                timings.Add((name, p50, max, target));
                Log.Line($"  {name}: p50 {p50:0.0} ms, max {max:0.0} ms ({size} rows)");
                if (target)
                {
                    report.Targets.Add(new TargetCheck($"{name} (max of {runs})", $"< {TargetMs:0} ms", max, max < TargetMs));
                }
            }

            async Task Reports(string suffix, bool target)
            {
                foreach (var (label, range) in ranges)
                {
                    var n = target ? Runs : LiveRuns;
                    await Measure($"volume_{label}_{suffix}", target, async s => (await s.GetRequiredService<ReportQueries>().VolumeAsync(range, cancellationToken)).Count, n);
                    await Measure($"response_times_{label}_{suffix}", target, async s => (await s.GetRequiredService<ReportQueries>().ResponseTimesAsync(range, cancellationToken)).Count, n);
                    await Measure($"sla_compliance_{label}_{suffix}", target, async s => (await s.GetRequiredService<ReportQueries>().SlaComplianceAsync(range, cancellationToken)).Count, n);
                    await Measure($"csat_{label}_{suffix}", target, async s => (await s.GetRequiredService<ReportQueries>().CsatAsync(range, cancellationToken)).Count, n);
                    await Measure($"agents_{label}_{suffix}", target, async s => (await s.GetRequiredService<ReportQueries>().AgentsAsync(range, cancellationToken)).Count, n);
                }
            }

            await Measure("dashboard_snapshot", true, async s =>
            {
                var snapshot = await s.GetRequiredService<SupervisorQueries>().SnapshotAsync(cancellationToken);
                return snapshot.Queues.Count + snapshot.Agents.Count;
            });

            Log.Line("reports: live (no roll-up yet)");
            await Reports("live", target: false);

            var rollupStart = Clock.Now;
            await using (var scope = database.Services.CreateAsyncScope())
            {
                var rolled = await scope.ServiceProvider.GetRequiredService<ReportRollupService>().RollUpAsync(cancellationToken);
                report.Results["rollup_days"] = rolled.Days;
                report.Results["rollup_rows"] = rolled.Rows;
            }

            report.Results["rollup_seconds"] = Figures.Num(Clock.Now - rollupStart, 1);
            Log.Line($"reports: roll-up in {Clock.Now - rollupStart:0.0} s; with roll-ups");
            await Reports("rollups", target: true);

            // The conversations export streams: rows/s and allocation per row over the last 30 days (one run; it is I/O-bound).
            await using (var scope = database.Services.CreateAsyncScope())
            {
                var sink = new CountingStream();
                var allocated = GC.GetTotalAllocatedBytes();
                var started = Clock.Now;
                int exported;
                await using (var writer = new StreamWriter(sink, new System.Text.UTF8Encoding(true), 16 * 1024))
                {
                    exported = await scope.ServiceProvider.GetRequiredService<ConversationExport>().WriteCsvAsync(writer, ranges[0].Item2, includeNotes: false, cancellationToken);
                }

                var seconds = Clock.Now - started;
                var perRow = (GC.GetTotalAllocatedBytes() - allocated) / (double)Math.Max(1, exported);
                report.Results["export_30d_rows"] = exported;
                report.Results["export_30d_seconds"] = Figures.Num(seconds, 1);
                report.Results["export_30d_rows_per_s"] = Figures.Num(exported / seconds, 0);
                report.Results["export_30d_mb"] = Figures.Num(sink.Length / 1048576.0, 1);
                report.Results["export_30d_alloc_bytes_per_row"] = Figures.Num(perRow, 0);
                Log.Line($"reports: conversations export (30 days) {exported:N0} rows, {sink.Length / 1048576.0:0.0} MB in {seconds:0.0} s = {exported / seconds:N0} rows/s, {perRow:N0} B allocated per row");
            }

            report.Notes.Add($"{count:N0} conversations over the last 365 days ({teams} teams, {agents} agents, 7 channels), generated with prepared INSERTs in transactions of 50,000 after the product's migrations; every query timed {Runs} times (live ones {LiveRuns} times) after one unmeasured run, each in its own DI scope (a fresh DbContext), as a request would.");
            report.Notes.Add("`agents_*`: the agent performance report; after the roll-up it reads AgentDailyRollups (day x agent) for closed days. `export_30d_*`: GET /api/v1/reports/conversations.csv's writer (ConversationExport) over the last 30 days into a counting sink, keyset pages of 500 conversations, one message/contact/rating query per page.");
            report.Notes.Add("`*_live`: no DailyRollups row yet, every day computed from the conversations (the state before the first nightly roll-up). `*_rollups`: after one ReportRollupService run, closed days come from DailyRollups and only today is live. The dashboard does not use roll-ups.");
            report.Chart.Add(new ChartPanel("p50 / max load time per query (ms)", "query #", "ms",
            [
                new ChartSeries("p50", timings.Select((_, i) => (double)i).ToArray(), timings.Select(t => t.P50).ToArray(), Bars: true),
                new ChartSeries("max", timings.Select((_, i) => (double)i).ToArray(), timings.Select(t => t.Max).ToArray(), Dashed: true),
                new ChartSeries("target 1 s", [0, timings.Count - 1], [TargetMs, TargetMs], Dashed: true),
            ], LogY: true));
            report.Notes.Add("Chart x axis: " + string.Join(", ", timings.Select((t, i) => $"{i} {t.Name}")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (options.KeepData)
            {
                Log.Line($"reports: kept {folder}");
            }
            else
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    Log.Line($"reports: could not delete {folder}");
                }
            }
        }

        report.WallSeconds = Clock.Now - wallStart;
        return report;
    }

    /// <summary>A write-only sink that only counts the bytes (the export's output, without keeping it).</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    private static async Task<List<string>> TeamIdsAsync(string dbPath, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={dbPath}");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" FROM \"Teams\" ORDER BY \"Name\"";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private sealed record Generated(long Messages, long SlaEvents, long Ratings, long Open);

    private static string Id(Guid id) => id.ToString("D").ToUpperInvariant();

    private static long At(DateTimeOffset instant) => (long)Instant.ConvertToProvider(instant)!;

    private static SqliteCommand Prepare(SqliteConnection connection, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        foreach (var c in columns)
        {
            command.Parameters.Add(new SqliteParameter("$" + c, null));
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Log-normal minutes around a median (sigma 1).</summary>
    private static double Minutes(Random random, double median) =>
        median * Math.Exp(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static Generated Generate(string dbPath, int count, List<string> teamIds, IReadOnlyList<BenchAgent> agents, Dictionary<ChannelKind, Guid> inboxes, CancellationToken cancellationToken)
    {
        var random = new Random(20261125);
        var byTeam = Enumerable.Range(0, teamIds.Count).Select(t => agents.Where(a => a.Team == t).ToList()).ToArray();
        var now = DateTimeOffset.UtcNow;
        var start = now.AddDays(-365);
        var step = (now - start).TotalSeconds / count;
        using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA foreign_keys=OFF;";
            pragma.ExecuteNonQuery();
        }

        var contactCount = Math.Max(1, count / 4);
        var contactIds = new string[contactCount];
        var policy = Id(Guid.NewGuid());
        long messages = 0, events = 0, ratings = 0, open = 0;
        var transaction = connection.BeginTransaction();
        var contact = Prepare(connection, "Contacts", "Id", "Attributes", "CreatedAt", "Name", "Email", "UpdatedAt");
        for (var i = 0; i < contactCount; i++)
        {
            contactIds[i] = Id(Guid.CreateVersion7(start));
            var at = At(start);
            Run(contact, contactIds[i], "{}", at, $"Customer {i + 1}", $"customer{i + 1}@example.test", at);
        }

        transaction.Commit();
        transaction.Dispose();
        contact.Dispose();

        var commands = new List<SqliteCommand>();
        SqliteCommand conversation = null!, message = null!, slaEvent = null!, rating = null!;
        void Begin()
        {
            transaction = connection.BeginTransaction();
            conversation = Prepare(connection, "Conversations", "Id", "Number", "InboxId", "ContactId", "Channel", "Status", "Priority", "Subject", "TeamId", "AssigneeId",
                "CreatedAt", "UpdatedAt", "LastMessageAt", "LastCustomerMessageAt", "FirstRespondedAt", "ResolvedAt", "ClosedAt", "WaitingSince", "AssignedAt",
                "SlaPolicyId", "FirstResponseDueAt", "ResolutionDueAt", "MergedIntoId", "EscalationLevel", "SlaPausedWorkingTime", "Version",
                "Attributes", "DeclinedAgentIds", "RequiredSkills", "Tags", "LastMessagePreview");
            message = Prepare(connection, "Messages", "Id", "ConversationId", "InboxId", "Direction", "AuthorKind", "AuthorId", "AuthorName", "Text", "CreatedAt",
                "DeliveryStatus", "IsPrivate", "Attachments");
            slaEvent = Prepare(connection, "SlaEvents", "Id", "ConversationId", "Metric", "Kind", "DueAt", "ThresholdAt", "RecordedAt", "RecordedBy", "TeamId");
            rating = Prepare(connection, "CsatRatings", "Id", "ConversationId", "ContactId", "InboxId", "TeamId", "AgentId", "Score", "Comment", "CreatedAt");
            commands.Clear();
            commands.AddRange([conversation, message, slaEvent, rating]);
        }

        void Commit()
        {
            transaction.Commit();
            transaction.Dispose();
            foreach (var c in commands)
            {
                c.Dispose();
            }
        }

        Begin();
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && i % 50_000 == 0)
            {
                Commit();
                cancellationToken.ThrowIfCancellationRequested();
                Log.Line($"  {i:N0}/{count:N0} conversations");
                Begin();
            }

            var created = start.AddSeconds((i + random.NextDouble()) * step);
            var pick = random.NextDouble();
            var channel = Channels[^1].Channel;
            foreach (var (c, share) in Channels)
            {
                if ((pick -= share) < 0)
                {
                    channel = c;
                    break;
                }
            }

            var live = channel == ChannelKind.WebChat;
            var teamIndex = random.Next(teamIds.Count);
            var team = random.NextDouble() < 0.05 ? null : teamIds[teamIndex];
            var teamAgents = byTeam[teamIndex];
            var agent = teamAgents.Count > 0 ? teamAgents[random.Next(teamAgents.Count)] : agents[random.Next(agents.Count)];
            var age = now - created;
            ConversationStatusCode status;
            var s = random.NextDouble();
            if (age < TimeSpan.FromDays(2))
            {
                status = s < 0.10 ? ConversationStatusCode.New : s < 0.45 ? ConversationStatusCode.Open : s < 0.60 ? ConversationStatusCode.Pending : ConversationStatusCode.Resolved;
            }
            else
            {
                status = s < 0.93 ? ConversationStatusCode.Closed : s < 0.98 ? ConversationStatusCode.Resolved : s < 0.99 ? ConversationStatusCode.Pending : ConversationStatusCode.Open;
            }

            var waiting = status == ConversationStatusCode.New || (status == ConversationStatusCode.Open && random.NextDouble() < 0.2);
            var assignee = waiting ? null : agent;
            var responded = !waiting && random.NextDouble() < 0.95;
            var firstResponse = responded ? created.AddMinutes(Math.Min(Minutes(random, live ? 1.5 : 90), 60 * 24 * 5)) : (DateTimeOffset?)null;
            if (firstResponse > now)
            {
                firstResponse = null;
            }

            var done = status is ConversationStatusCode.Resolved or ConversationStatusCode.Closed;
            var resolved = done ? created.AddMinutes(Math.Min(Minutes(random, live ? 12 : 600), 60 * 24 * 20)) : (DateTimeOffset?)null;
            if (resolved > now)
            {
                resolved = now;
            }

            if (resolved is { } r && firstResponse is { } f && f > r)
            {
                firstResponse = r;
            }

            var closed = status == ConversationStatusCode.Closed ? resolved!.Value.AddDays(7) : (DateTimeOffset?)null;
            if (closed > now)
            {
                status = ConversationStatusCode.Resolved;
                closed = null;
            }

            if (status is ConversationStatusCode.New or ConversationStatusCode.Open or ConversationStatusCode.Pending)
            {
                open++;
            }

            var underSla = random.NextDouble() < 0.7;
            var id = Id(Guid.CreateVersion7(created));
            var contactId = contactIds[random.Next(contactCount)];
            var inbox = Id(inboxes[channel]);
            var last = resolved ?? firstResponse ?? created;
            var merged = random.NextDouble() < 0.01 && i > 0 ? id : null;
            Run(conversation, id, i + 1, inbox, contactId, (int)channel, (int)status, 1, $"Question {i + 1}", team, assignee is null ? null : Id(assignee.AgentId),
                At(created), At(last), At(firstResponse ?? created), At(created), firstResponse is { } fr ? At(fr) : null, resolved is { } rv ? At(rv) : null,
                closed is { } cl ? At(cl) : null, waiting ? At(created) : null, assignee is null ? null : At(created.AddSeconds(5)),
                underSla ? policy : null, underSla ? At(created.AddMinutes(live ? 2 : 240)) : null, underSla ? At(created.AddHours(live ? 1 : 24)) : null,
                merged is null ? null : Id(Guid.NewGuid()), 0, 0L, 1, "{}", "[]", "[]", "[]", "Hello, I need help with my order.");
            Run(message, Id(Guid.CreateVersion7(created)), id, inbox, 0, 0, contactId, "Customer", "Hello, I need help with my order.", At(created), 0, 0, "[]");
            messages++;
            if (firstResponse is { } reply && assignee is not null)
            {
                Run(message, Id(Guid.CreateVersion7(reply)), id, inbox, 1, 1, Id(assignee.AgentId), "Agent", "Thanks, let me check that for you.", At(reply), 3, 0, "[]");
                messages++;
            }

            if (underSla)
            {
                foreach (var (metric, share, target) in new[] { (0, live ? 0.08 : 0.12, TimeSpan.FromMinutes(live ? 2 : 240)), (2, 0.10, TimeSpan.FromHours(live ? 1 : 24)) })
                {
                    var roll = random.NextDouble();
                    if (roll < share * 2)
                    {
                        var warn = created + (target * 0.75);
                        Run(slaEvent, Id(Guid.CreateVersion7(warn)), id, metric, 0, At(created + target), At(warn), At(warn), "bench", team);
                        events++;
                    }

                    if (roll < share)
                    {
                        Run(slaEvent, Id(Guid.CreateVersion7(created + target)), id, metric, 1, At(created + target), At(created + target), At(created + target), "bench", team);
                        events++;
                    }
                }
            }

            if (resolved is { } ratedAt && random.NextDouble() < 0.2)
            {
                var score = random.NextDouble() switch { < 0.05 => 1, < 0.10 => 2, < 0.20 => 3, < 0.45 => 4, _ => 5 };
                Run(rating, Id(Guid.CreateVersion7(ratedAt)), id, contactId, inbox, team, assignee is null ? null : Id(assignee.AgentId), score, null, At(ratedAt.AddMinutes(5)));
                ratings++;
            }
        }

        Commit();
        using (var counter = connection.CreateCommand())
        {
            counter.CommandText = "UPDATE \"Counters\" SET \"Value\" = $n WHERE \"Name\" = 'conversation'";
            counter.Parameters.AddWithValue("$n", count);
            counter.ExecuteNonQuery();
        }

        return new Generated(messages, events, ratings, open);
    }

    private enum ConversationStatusCode
    {
        New = 0,
        Open = 1,
        Pending = 2,
        Resolved = 4,
        Closed = 5,
    }
}
