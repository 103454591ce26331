using ContactCenter.Application.Files;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.Options;

namespace ContactCenter.Channels.Messaging;

/// <summary>
/// Stores a file a customer sent through a messaging app: the bytes are streamed from the provider (bounded by
/// Files:MaxUploadBytes) into file storage under a key naming the inbox ("m_{inbox}_{id}.ext"); staff read it at /api/v1/email/files/{key} (access through its message).
/// </summary>
public sealed class MediaDownloads(IFileStorage storage, IOptions<AttachmentOptions> options)
{
    public long MaxBytes => Math.Max(1, options.Value.MaxUploadBytes);

    /// <summary>Downloads <paramref name="request"/> with <paramref name="client"/>; a non-success answer or an oversize file throws (the webhook is retried).</summary>
    public async Task<Attachment> DownloadAsync(HttpClient client, HttpRequestMessage request, InboxId inboxId, string? fileName, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The media download answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw new InvalidDataException($"The media file is larger than {MaxBytes} bytes.");
        }

        var type = contentType ?? response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        using var buffer = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new InvalidDataException($"The media file is larger than {MaxBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }

        var extension = Extension(type, fileName);
        var key = $"m_{inboxId.Value:N}_{Guid.CreateVersion7():N}{extension}";
        buffer.Position = 0;
        await storage.SaveAsync(key, buffer, cancellationToken);
        var name = string.IsNullOrWhiteSpace(fileName) ? "file" + extension : Path.GetFileName(fileName.Trim());
        return new Attachment(name.Length > VisitorFiles.MaxFileNameLength ? name[..VisitorFiles.MaxFileNameLength] : name, type.Split(';')[0].Trim(), buffer.Length, key);
    }

    private static string Extension(string contentType, string? fileName)
    {
        var fromName = fileName is null ? "" : Path.GetExtension(fileName).ToLowerInvariant();
        if (fromName.Length is > 1 and <= 6 && fromName[1..].All(char.IsAsciiLetterOrDigit))
        {
            return fromName;
        }

        return contentType.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/webp" => ".webp",
            "image/gif" => ".gif",
            "video/mp4" => ".mp4",
            "audio/ogg" => ".ogg",
            "audio/mpeg" => ".mp3",
            "audio/amr" => ".amr",
            "application/pdf" => ".pdf",
            _ => ".bin",
        };
    }
}
