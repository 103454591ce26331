using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using MailKit.Net.Imap;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Channels.Email;

/// <summary>
/// IMAP IDLE (RFC 2177): for every email inbox with IMAP settings whose server advertises IDLE, one loop keeps a connection
/// idling on the folder and runs the poller's import (same UIDVALIDITY/UID cursor, per-message commit, quarantine) as soon as
/// the server announces new mail, so mail arrives in seconds rather than at the next poll. IDLE is re-issued every
/// <see cref="ImapOptions.IdleRefresh"/>; a lost connection is re-made with exponential backoff; inboxes are (re)discovered
/// every <see cref="ImapOptions.IdleDiscovery"/>. The Quartz poll stays the safety net; the poller serialises the two.
/// </summary>
public sealed partial class ImapIdleListener(
    ImapPoller poller,
    IServiceScopeFactory scopes,
    IOptions<ImapOptions> options,
    TimeProvider time,
    ILogger<ImapIdleListener> logger) : BackgroundService
{
    private readonly ImapOptions _options = options.Value;
    private readonly ConcurrentDictionary<InboxId, Loop> _loops = new();

    /// <summary>True while the inbox's connection is in IDLE (the server will announce new mail).</summary>
    public bool IsIdling(InboxId inboxId) => _loops.TryGetValue(inboxId, out var loop) && loop.Idling;

    /// <summary>How many IDLE-capable connections the inbox's loop has made so far (1 + reconnects).</summary>
    public int Connections(InboxId inboxId) => _loops.TryGetValue(inboxId, out var loop) ? loop.Connections : 0;

    /// <summary>How many per-inbox loops are still running.</summary>
    public int RunningLoops => _loops.Values.Count(l => !l.Task.IsCompleted);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Idle)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await DiscoverAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogDiscoveryFailed(ex);
                }

                await Task.Delay(Max(_options.IdleDiscovery, TimeSpan.FromMilliseconds(100)), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var loop in _loops.Values)
            {
                await loop.StopAsync();
            }
        }
    }

    /// <summary>Starts a loop for each new IMAP inbox, restarts those whose IMAP settings changed, stops removed or disabled ones.</summary>
    private async Task DiscoverAsync(CancellationToken stoppingToken)
    {
        List<Inbox> inboxes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            inboxes = (await db.Inboxes.AsNoTracking().Where(i => i.Channel == ChannelKind.Email && i.IsEnabled).ToListAsync(stoppingToken))
                .Where(ImapPoller.IsConfigured).ToList();
        }

        foreach (var (id, loop) in _loops)
        {
            // A loop that ended because the server has no IDLE stays (ended) until the inbox's IMAP settings change.
            if (inboxes.FirstOrDefault(i => i.Id == id) is not { } current || Fingerprint(current) != loop.Fingerprint)
            {
                await loop.StopAsync();
                _loops.TryRemove(id, out _);
            }
        }

        foreach (var inbox in inboxes.Where(i => !_loops.ContainsKey(i.Id)))
        {
            var loop = new Loop(Fingerprint(inbox), CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
            loop.Task = Task.Run(() => RunAsync(inbox, loop, loop.Stop.Token), CancellationToken.None);
            _loops[inbox.Id] = loop;
        }
    }

    private static TimeSpan Max(TimeSpan configured, TimeSpan floor) => configured > floor ? configured : floor;

    private static string Fingerprint(Inbox inbox) =>
        string.Join('\n', inbox.Settings.Where(s => s.Key.StartsWith("imap", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

    /// <summary>One inbox: connect, check IDLE, import what is new, idle until the server announces mail, import, idle again.</summary>
    private async Task RunAsync(Inbox inbox, Loop loop, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var session = await poller.ConnectAsync(inbox, cancellationToken);
                if (!session.Client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    LogIdleUnsupported(inbox.Id.Value);
                    await session.Client.DisconnectAsync(true, cancellationToken);
                    return;
                }

                failures = 0;
                Interlocked.Increment(ref loop.Connections);
                var wake = new Wake();
                session.Folder.CountChanged += (_, _) => wake.Signal();

                // Mail that came while no connection was idling is imported first.
                wake.Signal();
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (wake.Take())
                    {
                        await poller.PollAsync(inbox, cancellationToken);
                    }

                    using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    done.CancelAfter(Max(_options.IdleRefresh, TimeSpan.FromSeconds(1)));
                    if (!wake.Arm(done))
                    {
                        continue;
                    }

                    loop.Idling = true;
                    try
                    {
                        await session.Client.IdleAsync(done.Token, cancellationToken);
                    }
                    finally
                    {
                        loop.Idling = false;
                        wake.Disarm();
                    }
                }

                await session.Client.DisconnectAsync(true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures++;
                var seconds = Math.Min(Math.Pow(2, Math.Min(failures, 20)), _options.IdleMaxBackoff.TotalSeconds);
                LogIdleFailed(inbox.Id.Value, failures, seconds, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>"New mail" between the server's event thread and the loop: a pending flag, and the IDLE to end when it is set.</summary>
    private sealed class Wake
    {
        private readonly Lock _lock = new();
        private bool _pending;
        private CancellationTokenSource? _done;

        public void Signal()
        {
            lock (_lock)
            {
                _pending = true;
                _done?.Cancel();
            }
        }

        public bool Take()
        {
            lock (_lock)
            {
                var pending = _pending;
                _pending = false;
                return pending;
            }
        }

        /// <summary>Sets the IDLE's done token; false when mail was announced meanwhile (import first, then idle).</summary>
        public bool Arm(CancellationTokenSource done)
        {
            lock (_lock)
            {
                if (_pending)
                {
                    return false;
                }

                _done = done;
                return true;
            }
        }

        public void Disarm()
        {
            lock (_lock)
            {
                _done = null;
            }
        }
    }

    private sealed class Loop(string fingerprint, CancellationTokenSource stop)
    {
        public string Fingerprint { get; } = fingerprint;
        public CancellationTokenSource Stop { get; } = stop;
        public Task Task { get; set; } = Task.CompletedTask;
        public volatile bool Idling;
        public int Connections;

        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Stop.Dispose();
        }
    }

    [LoggerMessage(EventId = 8533, Level = LogLevel.Warning, Message = "Looking for IMAP inboxes to IDLE on failed; retried shortly")]
    private partial void LogDiscoveryFailed(Exception exception);

    [LoggerMessage(EventId = 8534, Level = LogLevel.Information, Message = "The IMAP server of inbox {InboxId} does not support IDLE: the scheduled poll alone imports its mail")]
    private partial void LogIdleUnsupported(Guid inboxId);

    [LoggerMessage(EventId = 8535, Level = LogLevel.Warning, Message = "IMAP IDLE of inbox {InboxId} failed ({Failures} in a row); reconnecting in {Seconds} s")]
    private partial void LogIdleFailed(Guid inboxId, int failures, double seconds, Exception exception);
}
