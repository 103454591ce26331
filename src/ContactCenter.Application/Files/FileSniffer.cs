namespace ContactCenter.Application.Files;

/// <summary>A file type the customers may send, recognised by its content.</summary>
public sealed record SniffedType(string ContentType, string Extension, bool IsImage);

/// <summary>
/// Tells a file's type from its first bytes (magic numbers), never from its name or the browser's claim: PNG, JPEG, GIF,
/// WebP and PDF. Anything else (HTML, SVG, scripts, executables, archives…) is not recognised and so not accepted.
/// </summary>
public static class FileSniffer
{
    public const int HeaderLength = 16;

    public static SniffedType? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new("image/png", ".png", true);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return new("image/jpeg", ".jpg", true);
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return new("image/gif", ".gif", true);
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return new("image/webp", ".webp", true);
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return new("application/pdf", ".pdf", false);
        }

        return null;
    }

    /// <summary>Reads up to <see cref="HeaderLength"/> bytes from the start of a stream (which is left where it was read to).</summary>
    public static async Task<SniffedType?> DetectAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[HeaderLength];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Detect(buffer.AsSpan(0, read));
    }
}
