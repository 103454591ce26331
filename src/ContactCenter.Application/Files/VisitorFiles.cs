using System.Text.RegularExpressions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Files;

public sealed record UploadedFile(string Key, string FileName, string ContentType, long SizeBytes);

/// <summary>An attachment a customer's message refers to: the key the upload returned and a display name.</summary>
public sealed record AttachmentReference(string? Key, string? FileName);

/// <summary>
/// Files sent by web chat customers: uploads are checked by content (images and PDFs), limited in size and stored under
/// a key that names the inbox and contact, so a visitor can only ever attach or read their own files.
/// </summary>
public sealed partial class VisitorFiles(IFileStorage storage, IOptions<AttachmentOptions> options)
{
    public const int MaxAttachmentsPerMessage = 5;
    public const int MaxFileNameLength = 120;

    public long MaxUploadBytes => Math.Max(1, options.Value.MaxUploadBytes);

    public static string OwnerPrefix(InboxId inboxId, ContactId contactId) => $"v_{inboxId.Value:N}_{contactId.Value:N}_";

    /// <summary>The key prefix of files an agent uploaded to attach to a reply in one conversation (see <see cref="AgentFiles"/>).</summary>
    public static string AgentPrefix(ConversationId conversationId, AgentId agentId) => $"a_{conversationId.Value:N}_{agentId.Value:N}_";

    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    public Task<Result<UploadedFile>> UploadAsync(InboxId inboxId, ContactId contactId, string? fileName, Stream content, long? length, CancellationToken cancellationToken) =>
        UploadAsync(OwnerPrefix(inboxId, contactId), fileName, content, length, cancellationToken);

    /// <summary>Checks (size, type by content) and stores a file under a key starting with the owner's prefix.</summary>
    public async Task<Result<UploadedFile>> UploadAsync(string ownerPrefix, string? fileName, Stream content, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (length is 0)
        {
            return Error.Validation("file.empty", "The file is empty.");
        }

        if (length > MaxUploadBytes)
        {
            return TooLarge();
        }

        // Buffer (bounded) so the type is checked before anything is stored, and the size is the real one.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxUploadBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return Error.Validation("file.empty", "The file is empty.");
        }

        var type = FileSniffer.Detect(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, FileSniffer.HeaderLength)));
        if (type is null)
        {
            return Error.Validation("file.type", "Only images (PNG, JPEG, GIF, WebP) and PDF documents can be sent.");
        }

        var key = ownerPrefix + Guid.CreateVersion7().ToString("N") + type.Extension;
        buffer.Position = 0;
        await storage.SaveAsync(key, buffer, cancellationToken);
        return new UploadedFile(key, CleanName(fileName, type), type.ContentType, buffer.Length);
    }

    /// <summary>The attachments of a visitor's message: each must be one of their own uploads; type and size come from the stored bytes.</summary>
    public Task<Result<IReadOnlyList<Attachment>>> ResolveAsync(InboxId inboxId, ContactId contactId, IReadOnlyList<AttachmentReference>? references, CancellationToken cancellationToken) =>
        ResolveAsync(OwnerPrefix(inboxId, contactId), references, cancellationToken);

    /// <summary>The attachments of a message: each must be a stored file under the owner's prefix; type and size come from the stored bytes.</summary>
    public async Task<Result<IReadOnlyList<Attachment>>> ResolveAsync(string ownerPrefix, IReadOnlyList<AttachmentReference>? references, CancellationToken cancellationToken)
    {
        if (references is not { Count: > 0 })
        {
            return Result<IReadOnlyList<Attachment>>.Success([]);
        }

        if (references.Count > MaxAttachmentsPerMessage)
        {
            return Error.Validation("message.attachments", $"A message can carry at most {MaxAttachmentsPerMessage} files.");
        }

        var attachments = new List<Attachment>();
        foreach (var reference in references)
        {
            if (!IsValidKey(reference?.Key) || !reference!.Key!.StartsWith(ownerPrefix, StringComparison.Ordinal))
            {
                return Error.NotFound("The attached file");
            }

            var info = await InspectAsync(reference.Key, cancellationToken);
            if (info is null)
            {
                return Error.NotFound("The attached file");
            }

            attachments.Add(new Attachment(CleanName(reference.FileName, info.Value.Type), info.Value.Type.ContentType, info.Value.Size, reference.Key));
        }

        return attachments;
    }

    /// <summary>A stored file's sniffed type and size (null when missing or not an accepted type).</summary>
    public async Task<(SniffedType Type, long Size)?> InspectAsync(string key, CancellationToken cancellationToken)
    {
        if (!IsValidKey(key) || await storage.SizeAsync(key, cancellationToken) is not { } size)
        {
            return null;
        }

        await using var stream = await storage.OpenReadAsync(key, cancellationToken);
        var type = stream is null ? null : await FileSniffer.DetectAsync(stream, cancellationToken);
        return type is null ? null : (type, size);
    }

    private Error TooLarge() => Error.Validation("file.too_large", $"A file can be at most {MaxUploadBytes / (1024 * 1024.0):0.#} MB.");

    /// <summary>A display name only (never used as a path): no folders or control characters, the right extension, at most 120 characters.</summary>
    private static string CleanName(string? name, SniffedType type)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/')).Trim();
        var cleaned = new string(bare.Where(c => !char.IsControl(c) && c is not ('<' or '>' or '"' or '/' or '\\' or ':' or '|' or '?' or '*')).ToArray()).Trim();
        var stem = Path.GetFileNameWithoutExtension(cleaned);
        if (string.IsNullOrWhiteSpace(stem))
        {
            stem = type.IsImage ? "image" : "document";
        }

        if (stem.Length > MaxFileNameLength - type.Extension.Length)
        {
            stem = stem[..(MaxFileNameLength - type.Extension.Length)];
        }

        return stem + type.Extension;
    }

    [GeneratedRegex("^[va]_[0-9a-f]{32}_[0-9a-f]{32}_[0-9a-f]{32}\\.(png|jpg|gif|webp|pdf)$")]
    private static partial Regex KeyPattern();
}
