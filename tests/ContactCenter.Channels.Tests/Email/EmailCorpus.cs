using MimeKit;

namespace ContactCenter.Channels.Tests.Email;

/// <summary>The MimeKit test messages in ../shared/corpora/email (read in place, never copied).</summary>
public static class EmailCorpus
{
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                dir = dir.Parent;
            }

            var root = dir ?? throw new DirectoryNotFoundException("The repository root (ContactCenter.sln) was not found above the test binaries.");
            var folder = Path.GetFullPath(Path.Combine(root.FullName, "..", "shared", "corpora", "email"));
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"The email corpus is missing: {folder}");
        }
    }

    /// <summary>A message file's raw bytes, or message <paramref name="index"/> of an mbox file (as MimeKit re-serialises it).</summary>
    public static byte[] Raw(string relativePath, int? index)
    {
        var path = Path.Combine(Folder, relativePath);
        if (index is null)
        {
            return File.ReadAllBytes(path);
        }

        using var stream = File.OpenRead(path);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        for (var i = 0; ; i++)
        {
            var message = parser.ParseMessage();
            if (i == index)
            {
                using var buffer = new MemoryStream();
                message.WriteTo(buffer);
                return buffer.ToArray();
            }
        }
    }

    public static int MboxCount(string relativePath)
    {
        using var stream = File.OpenRead(Path.Combine(Folder, relativePath));
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var count = 0;
        while (!parser.IsEndOfStream)
        {
            parser.ParseMessage();
            count++;
        }

        return count;
    }
}
