using System.Text.RegularExpressions;
using ContactCenter.Application.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Infrastructure.Files;

/// <summary>
/// Attachments on the local disk (the embedded default): one file per key under the root folder, sharded by the key's
/// '_'-separated parts. Writes go to a temporary file first and are moved into place, so a reader never sees half a file.
/// For several nodes, the root must be a shared volume (or another IFileStorage, e.g. blob storage).
/// </summary>
public sealed partial class LocalFileStorage(string root) : IFileStorage
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task SaveAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null);
    }

    public Task<long?> SizeAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult<long?>(info.Exists ? info.Length : null);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private string PathOf(string key)
    {
        if (string.IsNullOrEmpty(key) || !SafeKey().IsMatch(key))
        {
            throw new ArgumentException("Not a valid file key.", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(Root, Path.Combine(key.Split('_'))));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("Not a valid file key.", nameof(key));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,199}$")]
    private static partial Regex SafeKey();

    /// <summary>
    /// Registers the local storage. Root: <c>Files:Root</c>, else a <c>files</c> folder beside the SQLite database
    /// (App_Data/files by default), else App_Data/files under the content root.
    /// </summary>
    public static void Register(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IFileStorage>(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<AttachmentOptions>>().Value.Root;
            return new LocalFileStorage(string.IsNullOrWhiteSpace(configured) ? DefaultRoot(builder.Configuration, builder.Environment.ContentRootPath) : configured);
        });
    }

    private static string DefaultRoot(IConfiguration config, string contentRoot)
    {
        var provider = config["Database:Provider"] ?? "Sqlite";
        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
                SqliteConnectionStrings.Resolve(config.GetConnectionString("ContactCenter"), contentRoot)).DataSource;
            if (Path.GetDirectoryName(database) is { Length: > 0 } folder)
            {
                return Path.Combine(folder, "files");
            }
        }

        return Path.Combine(contentRoot, "App_Data", "files");
    }
}
