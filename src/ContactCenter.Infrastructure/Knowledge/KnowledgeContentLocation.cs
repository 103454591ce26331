namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>
/// The resolved folder of articles. A relative `KnowledgeBase:ContentPath` is looked for under the content root, then the
/// working directory, then the folders above the content root up to the repository root (so `dotnet run --project
/// src/ContactCenter.Web` finds the repository's kb-content).
/// </summary>
public sealed class KnowledgeContentLocation
{
    public KnowledgeContentLocation(string path) => Path = path;

    public string Path { get; }

    public static KnowledgeContentLocation Resolve(string? configured, string contentRoot)
    {
        var path = string.IsNullOrWhiteSpace(configured) ? "kb-content" : configured.Trim();
        if (System.IO.Path.IsPathRooted(path))
        {
            return new KnowledgeContentLocation(System.IO.Path.GetFullPath(path));
        }

        var candidates = new List<string> { System.IO.Path.Combine(contentRoot, path), System.IO.Path.Combine(Directory.GetCurrentDirectory(), path) };
        for (var dir = new DirectoryInfo(contentRoot).Parent; dir is not null; dir = dir.Parent)
        {
            candidates.Add(System.IO.Path.Combine(dir.FullName, path));
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                break;
            }
        }

        var found = candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
        return new KnowledgeContentLocation(System.IO.Path.GetFullPath(found));
    }
}
