using System.Diagnostics;

namespace ContactCenter.Testing;

/// <summary>A real redis-server on a free loopback port, no persistence; stopped on dispose. Installed by ./build.sh test.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process _process;
    private bool _running = true;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = LocalServers.FreePort();
        var server = new RedisServer(Launch(port), port);
        await server.WaitUntilAnswersAsync();
        return server;
    }

    /// <summary>Kills redis-server (SIGKILL: no goodbye to the clients) and leaves it down until <see cref="StartAgainAsync"/>.</summary>
    public async Task KillAsync()
    {
        _running = false;
        await LocalServers.StopAsync(_process);
    }

    /// <summary>Starts redis-server again on the same port, empty (no persistence), as after a crash or an upgrade.</summary>
    public async Task StartAgainAsync()
    {
        _process = Launch(Port);
        _running = true;
        await WaitUntilAnswersAsync();
    }

    private static Process Launch(int port)
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run ./build.sh test (it installs it) or apt-get install redis-server.");
        return Process.Start(new ProcessStartInfo(executable, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
    }

    private async Task WaitUntilAnswersAsync()
    {
        var started = DateTime.UtcNow;
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow - started > TimeSpan.FromSeconds(15))
            {
                await DisposeAsync();
                throw new InvalidOperationException($"redis-server did not answer on port {Port}.");
            }

            await Task.Delay(50);
        }
    }

    private Task<bool> PingAsync() => LocalServers.AnswersAsync(Port, "+PONG", "PING\r\n"u8.ToArray());

    public async ValueTask DisposeAsync()
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        await LocalServers.StopAsync(_process);
    }
}
