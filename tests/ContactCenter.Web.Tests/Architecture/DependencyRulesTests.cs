using System.Reflection;
using System.Xml.Linq;

namespace ContactCenter.Web.Tests.Architecture;

/// <summary>Dependencies point inward: Domain ← Application ← {Infrastructure, Channels} ← Web.</summary>
public sealed class DependencyRulesTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["ContactCenter.Domain"] = [],
        ["ContactCenter.Application"] = ["ContactCenter.Domain"],
        ["ContactCenter.Infrastructure"] = ["ContactCenter.Application", "ContactCenter.Domain"],
        ["ContactCenter.Channels"] = ["ContactCenter.Application", "ContactCenter.Domain"],
        ["ContactCenter.Web"] = ["ContactCenter.Infrastructure", "ContactCenter.Channels", "ContactCenter.Application", "ContactCenter.Domain"],
    };

    public static TheoryData<string> Projects() => new(Allowed.Keys);

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ContactCenter.sln not found above the test folder.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectReferences_PointInward(string project)
    {
        var csproj = XDocument.Load(Path.Combine(RepoRoot(), "src", project, project + ".csproj"));
        var references = csproj.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        var forbidden = references.Except(Allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)}");
    }

    [Theory]
    [InlineData(typeof(ContactCenter.Domain.Conversations.Conversation))]
    [InlineData(typeof(ContactCenter.Application.DependencyInjection))]
    [InlineData(typeof(ContactCenter.Infrastructure.DependencyInjection))]
    [InlineData(typeof(ContactCenter.Channels.DependencyInjection))]
    public void CompiledAssemblies_ReferenceOnlyAllowedProjects(Type marker)
    {
        var assembly = marker.Assembly;
        var name = assembly.GetName().Name!;
        var ours = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("ContactCenter.", StringComparison.Ordinal));
        var forbidden = ours.Except(Allowed[name]).ToList();
        Assert.True(forbidden.Count == 0, $"{name} references {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Domain_HasNoFrameworkOrPackageDependencies()
    {
        var references = typeof(ContactCenter.Domain.Conversations.Conversation).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.Extensions", StringComparison.Ordinal));
        var csproj = XDocument.Load(Path.Combine(RepoRoot(), "src", "ContactCenter.Domain", "ContactCenter.Domain.csproj"));
        Assert.Empty(csproj.Descendants("PackageReference"));
        Assert.Empty(csproj.Descendants("FrameworkReference"));
    }

    [Fact]
    public void Domain_DoesNotReadTheClock()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src", "ContactCenter.Domain"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var offenders = sources.Where(f =>
        {
            var text = File.ReadAllText(f);
            return text.Contains("DateTime.UtcNow", StringComparison.Ordinal) || text.Contains("DateTimeOffset.UtcNow", StringComparison.Ordinal)
                || text.Contains("DateTime.Now", StringComparison.Ordinal) || text.Contains("DateTimeOffset.Now", StringComparison.Ordinal);
        }).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Hubs_AreTypedAndAuthorised()
    {
        // The bench's bare relay (namespace ContactCenter.Web.Bench) is anonymous by design and only mapped when Bench:RelayHub is on.
        var hubs = typeof(Program).Assembly.GetTypes()
            .Where(t => t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(Microsoft.AspNetCore.SignalR.Hub<>))
            .Where(t => t.Namespace != "ContactCenter.Web.Bench")
            .ToList();
        Assert.NotEmpty(hubs);
        Assert.All(hubs, h => Assert.NotNull(h.GetCustomAttribute<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>()));
    }
}
