using System.Net.Http.Headers;
using ContactCenter.Application.Files;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Channels.Messaging;

/// <summary>An agent's attached file read back from file storage for an upload to a provider.</summary>
public static class OutboundFiles
{
    /// <summary>The file as HTTP content with its content type, or the permanent failure to report when it is no longer stored.</summary>
    public static async Task<(ByteArrayContent? Content, SendOutcome? Missing)> ReadAsync(IFileStorage storage, Attachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(attachment);
        await using var stored = await storage.OpenReadAsync(attachment.StorageKey, cancellationToken);
        if (stored is null)
        {
            return (null, SendOutcome.Failed($"The attached file {attachment.FileName} is no longer stored.", permanent: true));
        }

        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy, cancellationToken);
        var content = new ByteArrayContent(copy.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(attachment.ContentType);
        return (content, null);
    }
}
