using System.Diagnostics;

namespace ContactCenter.Testing;

/// <summary>A real redis-server on a free loopback port, no persistence; stopped on dispose. Installed by ./build.sh test.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run ./build.sh test (it installs it) or apt-get install redis-server.");
        var port = LocalServers.FreePort();
        var process = Process.Start(new ProcessStartInfo(executable, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        var server = new RedisServer(process, port);
        var started = DateTime.UtcNow;
        while (!await server.PingAsync())
        {
            if (process.HasExited || DateTime.UtcNow - started > TimeSpan.FromSeconds(15))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not answer on port {port}.");
            }

            await Task.Delay(50);
        }

        return server;
    }

    private Task<bool> PingAsync() => LocalServers.AnswersAsync(Port, "+PONG", "PING\r\n"u8.ToArray());

    public async ValueTask DisposeAsync()
    {
        await LocalServers.StopAsync(_process);
    }
}
