namespace ContactCenter.Application.Files;

/// <summary>
/// Where attachment bytes live (a folder of the data directory by default). Keys are chosen by the application:
/// lower-case letters, digits, '_', '.' and '-' only.
/// </summary>
public interface IFileStorage
{
    Task SaveAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The stored size in bytes, or null when there is no such file.</summary>
    Task<long?> SizeAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the bytes (privacy erasure, retention); false when there was no such file.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Configuration <c>Files</c>: <c>Root</c> (default: a <c>files</c> folder beside the SQLite database, else App_Data/files) and <c>MaxUploadBytes</c> (default 10 MB).</summary>
public sealed class AttachmentOptions
{
    public const long DefaultMaxUploadBytes = 10 * 1024 * 1024;

    public string? Root { get; set; }
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;
}
