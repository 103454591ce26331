using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Testing;

/// <summary>Helpers for the real servers tests start on loopback (redis, dovecot, SMTP).</summary>
public static class LocalServers
{
    /// <summary>A loopback TCP port free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Connects to the port and returns true when the server's first bytes (or its answer to <paramref name="probe"/>) start with <paramref name="expected"/>.</summary>
    public static async Task<bool> AnswersAsync(int port, string expected, byte[]? probe = null)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            await using var stream = client.GetStream();
            if (probe is not null)
            {
                await stream.WriteAsync(probe);
            }

            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith(expected, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Kills the server with its children and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
