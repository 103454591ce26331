using System.Globalization;

namespace ContactCenter.Bench;

internal sealed record ResourceSample(double At, double CpuSeconds, double RssMb);

internal sealed record ResourceStats(double CpuPercentAvg, double CpuPercentMax, double RssMbMax, double RssMbEnd);

/// <summary>
/// Samples a process's CPU (utime + stime from /proc/PID/stat) and resident memory (VmRSS from
/// /proc/PID/status) every second. CPU percent is of one core, as top shows it (this machine's
/// maximum is cores × 100).
/// </summary>
internal sealed class ResourceSampler : IAsyncDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the bench runs on
    private readonly int _pid;
    private readonly Lock _lock = new();
    private readonly List<ResourceSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Samples one process, or with pid 0 the whole machine (busy CPU of all processes, used memory).</summary>
    public ResourceSampler(int pid)
    {
        _pid = pid;
        Available = OperatingSystem.IsLinux() && File.Exists(pid == 0 ? "/proc/stat" : $"/proc/{pid}/stat");
        _loop = Available ? LoopAsync() : Task.CompletedTask;
    }

    public bool Available { get; }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Takes a sample now (also at phase edges, so averages cover exactly the phase).</summary>
    public void Sample()
    {
        if (!Available)
        {
            return;
        }

        try
        {
            if (_pid == 0)
            {
                // "cpu  user nice system idle iowait irq softirq steal …": busy = all but idle and iowait.
                var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
                var memory = File.ReadLines("/proc/meminfo").Select(l => l.Split(':')).ToDictionary(
                    l => l[0], l => double.Parse(l[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture), StringComparer.Ordinal);
                lock (_lock)
                {
                    _samples.Add(new ResourceSample(Clock.Now, busy / TicksPerSecond, (memory["MemTotal"] - memory["MemAvailable"]) / 1024));
                }

                return;
            }

            var stat = File.ReadAllText($"/proc/{_pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
            var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            var rssKb = File.ReadLines($"/proc/{_pid}/status")
                .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
                .FirstOrDefault();
            lock (_lock)
            {
                _samples.Add(new ResourceSample(Clock.Now, ticks / TicksPerSecond, rssKb / 1024));
            }
        }
        catch (IOException)
        {
            // The process ended.
        }
        catch (FormatException)
        {
        }
    }

    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    public ResourceStats? Stats(double from, double to)
    {
        var all = Samples;
        var window = all.Where(s => s.At >= from - 0.01 && s.At <= to + 0.01).ToList();
        if (window.Count < 2)
        {
            return null;
        }

        var first = window[0];
        var last = window[^1];
        var avg = (last.CpuSeconds - first.CpuSeconds) / Math.Max(0.001, last.At - first.At) * 100;
        var max = window.Zip(window.Skip(1), (a, b) => (b.CpuSeconds - a.CpuSeconds) / Math.Max(0.001, b.At - a.At) * 100).DefaultIfEmpty(0).Max();
        return new ResourceStats(avg, max, window.Max(s => s.RssMb), last.RssMb);
    }

    /// <summary>CPU percent per one-second step, for the chart.</summary>
    public (double[] X, double[] Cpu) CpuSeries(double origin, double from, double to)
    {
        var window = Samples.Where(s => s.At >= from - 0.01 && s.At <= to + 0.01).ToList();
        var points = window.Zip(window.Skip(1), (a, b) => (X: (a.At + b.At) / 2 - origin, Cpu: (b.CpuSeconds - a.CpuSeconds) / Math.Max(0.001, b.At - a.At) * 100)).ToList();
        return (points.Select(p => p.X).ToArray(), points.Select(p => p.Cpu).ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
