using System.Diagnostics;

namespace ContactCenter.Testing;

/// <summary>
/// A real dovecot IMAP server (Debian package dovecot-imapd, installed by ./build.sh) on a free loopback port, plain
/// text login, one user, maildir in its own temp folder; stopped and deleted on dispose.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "support";
    public const string Password = "imap-test-pass";

    private readonly Process _process;

    private DovecotServer(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public static async Task<DovecotServer> StartAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("dovecot runs on Linux only.");
        }

        var executable = new[] { "/usr/sbin/dovecot", "/usr/local/sbin/dovecot" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dovecot is not installed: run ./build.sh test (it installs it) or apt-get install dovecot-imapd.");
        var folder = Path.Combine(Path.GetTempPath(), "cc-tests", "dovecot-" + Guid.NewGuid().ToString("N"));
        foreach (var sub in new[] { "run", "state", "mail", "home" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        // The mail processes run as "nobody" (dovecot refuses root for mail and login processes).
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(Path.Combine(folder, "mail"), open);
        File.SetUnixFileMode(Path.Combine(folder, "home"), open);
        await File.WriteAllTextAsync(Path.Combine(folder, "users"), $"{User}:{{PLAIN}}{Password}::::::\n");
        var port = LocalServers.FreePort();
        var config = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(config, $$"""
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            log_path = {{folder}}/dovecot.log
            listen = 127.0.0.1
            protocols = imap
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = dovecot
            default_internal_group = dovecot
            default_login_user = dovenull
            mail_location = maildir:{{folder}}/mail/%u
            passdb {
              driver = passwd-file
              args = {{folder}}/users
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{folder}}/home/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(executable, $"-F -c {config}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dovecot did not start.");
        var server = new DovecotServer(process, port, folder);
        var started = DateTime.UtcNow;
        while (!await server.GreetsAsync())
        {
            if (process.HasExited || DateTime.UtcNow - started > TimeSpan.FromSeconds(15))
            {
                var log = File.Exists(Path.Combine(folder, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "dovecot.log")) : "";
                await server.DisposeAsync();
                throw new InvalidOperationException($"dovecot did not answer on port {port}: {log}");
            }

            await Task.Delay(50);
        }

        return server;
    }

    /// <summary>Drops every open IMAP session of the test user (<c>doveadm kick</c>), as a server restart or a network cut would.</summary>
    public async Task KickAsync()
    {
        using var kick = Process.Start(new ProcessStartInfo("doveadm", $"-c {Path.Combine(Folder, "dovecot.conf")} kick {User}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("doveadm did not start.");
        var error = kick.StandardError.ReadToEndAsync();
        await kick.WaitForExitAsync().WaitAsync(Waits.Default);
        if (kick.ExitCode != 0)
        {
            throw new InvalidOperationException($"doveadm kick failed ({kick.ExitCode}): {await error}");
        }
    }

    private Task<bool> GreetsAsync() => LocalServers.AnswersAsync(Port, "* OK");

    public async ValueTask DisposeAsync()
    {
        await LocalServers.StopAsync(_process);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process of the server still closing a file; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
            // Files created by the mail user; the temp folder is cleaned by the OS.
        }
    }
}
