using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ContactCenter.Bench.Scenarios;

/// <summary>
/// C SMTP clients (one connection each, reused) send new emails back to back to the product's built-in SMTP receiver
/// for D seconds. The receiver answers 250 only after the email is committed as a conversation, so the time from
/// MAIL FROM to the 250 is the latency from SMTP accept to committed conversation. 1 % of emails are sent again with
/// the same Message-ID (a sending server's retry) and must be stored once. The database is checked at the end.
/// </summary>
internal static class EmailScenario
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wallStart = Clock.Now;
        var s = options.Short;
        var clients = options.Customers ?? (s ? 4 : 16);
        var duration = options.Duration ?? (s ? 10 : 30);
        var warmup = s ? 3 : 5;
        var report = new BenchReport("email", s);
        var p = report.Params;
        p["smtp_clients"] = clients;
        p["duration_s"] = duration;
        p["warmup_s"] = warmup;
        p["retry_percent"] = options.RetryPercent;

        await using var target = await BenchTarget.PrepareAsync(options, 1, 1, 1, cancellationToken);
        if (target.Server is null || target.Database is null)
        {
            throw new BenchFailedException("The email scenario starts the product itself (no --url): it needs the SMTP port and the database.");
        }

        p["target"] = target.Describe;
        const string address = "bench-mail@contactcenter.test";
        var inboxId = await target.Database.CreateEmailInboxAsync(address, cancellationToken);
        Log.Line($"email: {clients} SMTP clients for {duration} s to 127.0.0.1:{target.Server.SmtpPort}");

        var latency = new LatencyLog();
        var errors = new ErrorCounts();
        var sentIds = new ConcurrentDictionary<string, byte>();
        var retried = 0;
        var measuredNew = 0;
        var begin = Clock.Now;
        var start = begin + warmup; // the first emails of each client meet a cold server (JIT, pools): sent, stored and checked, not timed
        var stopAt = start + duration;
        target.ServerSampler?.Sample();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c), cancellationToken)));
        var end = Clock.Now;
        target.ServerSampler?.Sample();

        async Task ClientAsync(int client)
        {
            using var smtp = new SmtpClient { Timeout = 60_000 };
            try
            {
                await smtp.ConnectAsync("127.0.0.1", target.Server!.SmtpPort, SecureSocketOptions.None, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add("connect", ex);
                return;
            }

            for (var i = 0; Clock.Now < stopAt && !cancellationToken.IsCancellationRequested; i++)
            {
                var message = new MimeMessage();
                message.From.Add(new MailboxAddress($"Customer {client}-{i}", $"c{client}-{i}@customers.test"));
                message.To.Add(MailboxAddress.Parse(address));
                message.Subject = $"Order {client}-{i}";
                message.MessageId = $"{client}-{i}-{Guid.NewGuid():N}@customers.test";
                message.Body = new TextPart("plain") { Text = $"Where is my order {client}-{i}? It was due yesterday.\n\n-- \nCustomer {client}-{i}" };
                var resend = Random.Shared.NextDouble() * 100 < options.RetryPercent;
                foreach (var attempt in resend ? [0, 1] : new[] { 0 })
                {
                    var sent = Clock.Now;
                    try
                    {
                        await smtp.SendAsync(message, cancellationToken);
                        if (sent >= start)
                        {
                            latency.Add(sent, Clock.MsSince(sent));
                            if (attempt == 0)
                            {
                                Interlocked.Increment(ref measuredNew); // a new email: its 250 means its conversation is committed
                            }
                        }

                        sentIds[message.MessageId] = 0;
                        if (attempt == 1)
                        {
                            Interlocked.Increment(ref retried);
                        }
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        errors.Add("send", ex);
                        if (!smtp.IsConnected)
                        {
                            await smtp.ConnectAsync("127.0.0.1", target.Server!.SmtpPort, SecureSocketOptions.None, cancellationToken);
                        }
                    }
                }
            }

            await smtp.DisconnectAsync(true, CancellationToken.None);
        }

        Log.Line($"{latency.Count} emails accepted in the measured {end - start:0.0} s ({sentIds.Count} distinct in all, {retried} retries); checking the database");
        var stored = await target.Database.MessagesAsync([inboxId], cancellationToken);
        var conversations = await target.Database.ConversationsAsync([inboxId], cancellationToken);
        var storedIds = stored.Where(m => m.Inbound && m.ExternalId is not null).GroupBy(m => m.ExternalId!).ToDictionary(g => g.Key, g => g.Count());
        var lost = sentIds.Keys.Count(id => !storedIds.ContainsKey(id));
        var duplicated = storedIds.Values.Sum(n => n - 1);

        var r = report.Results;
        var accepted = latency.Count;
        r["emails_accepted_measured"] = accepted;
        r["distinct_emails"] = sentIds.Count;
        r["retries_sent"] = retried;
        r["accepted_per_s"] = Figures.Num(accepted / Math.Max(0.001, end - start));
        r["committed_conversations_per_s"] = Figures.Num(measuredNew / Math.Max(0.001, end - start));
        Figures.Latency(r, "accept_to_commit", latency.Stats());
        r["conversations"] = conversations.Count;
        r["lost"] = lost;
        r["duplicated"] = duplicated;
        r["errors"] = errors.Total;
        foreach (var (what, count) in errors.Top(3))
        {
            report.Notes.Add($"error ×{count}: {what}");
        }

        var resources = target.ServerSampler?.Stats(start, end);
        r["server_cpu_percent_avg"] = resources is null ? null : Figures.Num(resources.CpuPercentAvg, 1);
        report.Notes.Add("No bare baseline: the receiver's own cost is MimeKit parsing plus one SQLite transaction per email; the SMTP library alone is not a product path.");

        var perSecond = Figures.Get(r, "committed_conversations_per_s");
        report.Targets.Add(new TargetCheck("committed_conversations_per_s", "≥ 1,000", perSecond, double.IsFinite(perSecond) ? perSecond >= 1000 : null));
        report.Targets.Add(new TargetCheck("lost + duplicated", "= 0", lost + duplicated, lost + duplicated == 0));

        var series = latency.PerSecond(start, start, end);
        report.Chart.Add(new ChartPanel("SMTP accept → committed conversation, per second", "seconds", "ms",
            [new ChartSeries("p50", series.X, series.P50), new ChartSeries("p99", series.X, series.P99, Dashed: true)]));
        report.Chart.Add(new ChartPanel("emails committed per second", "seconds", "emails / s",
            [new ChartSeries("emails", series.X, series.Count, Bars: true)]));
        report.WallSeconds = Clock.Now - wallStart;
        return report;
    }
}
