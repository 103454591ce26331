using ContactCenter.Application.Common;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactCenter.Application.Tests.Knowledge;

/// <summary>The importer over a real Lucene index on disk and a real folder of articles, both in temp folders.</summary>
public sealed class KnowledgeImporterTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cc-tests", "kb-import-" + Guid.NewGuid().ToString("N"));
    private readonly LuceneKnowledgeSearch _search;
    private readonly KnowledgeImporter _importer;
    private readonly KnowledgeImportStatus _status = new();

    public KnowledgeImporterTests()
    {
        Directory.CreateDirectory(Content);
        _search = new LuceneKnowledgeSearch(Path.Combine(_root, "index"), NullLogger<LuceneKnowledgeSearch>.Instance);
        _importer = new KnowledgeImporter(_search, new KnowledgeArticleParser(new HtmlCleaner()), _status, TimeProvider.System, NullLogger<KnowledgeImporter>.Instance);
    }

    private string Content => Path.Combine(_root, "content");

    public void Dispose()
    {
        _search.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string relative, string title, string body = "Some text.", string? slug = null, string audience = "public")
    {
        var segments = relative.Split('/');
        var text = $"""
            ---
            title: {title}
            slug: {slug ?? Path.GetFileNameWithoutExtension(relative)}
            category: {segments[1]}
            tags: [demo]
            locale: {segments[0]}
            audience: {audience}
            updated: 2025-01-01
            ---
            {body}
            """;
        var path = Path.Combine(Content, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void WriteThree()
    {
        Write("en/billing/refunds.md", "Refunds", "We refund within 5 days.");
        Write("en/account/sign-in.md", "Sign in", "Use your email address.");
        Write("zh-CN/returns/return-an-item.md", "如何退货", "三十天内可以申请退货。");
    }

    private Task<ImportReport> ImportAsync(bool rebuild = false, IProgress<ImportProgress>? progress = null) =>
        _importer.ImportAsync(Content, rebuild, progress, CancellationToken.None).WaitAsync(Limit);

    [Fact]
    public async Task ImportAsync_NewFolder_AddsEveryArticle()
    {
        WriteThree();

        var report = await ImportAsync();

        Assert.Equal((3, 0, 0, 0), (report.Added, report.Updated, report.Unchanged, report.Removed));
        Assert.Empty(report.Errors);
        var hits = await _search.SearchAsync(new KnowledgeQuery("退货"), CancellationToken.None);
        Assert.Equal("return-an-item", hits[0].Slug);
        Assert.Same(report, await _status.FirstImport.WaitAsync(Limit));
    }

    [Fact]
    public async Task ImportAsync_Twice_SecondChangesNothing()
    {
        WriteThree();
        await ImportAsync();

        var report = await ImportAsync();

        Assert.Equal((0, 0, 3, 0), (report.Added, report.Updated, report.Unchanged, report.Removed));
        Assert.False(report.Changed);
    }

    [Fact]
    public async Task ImportAsync_OneFileChanged_UpdatesOnlyIt()
    {
        WriteThree();
        await ImportAsync();
        Write("en/billing/refunds.md", "Refunds and credits", "We refund within 3 days.");

        var report = await ImportAsync();

        Assert.Equal((0, 1, 2, 0), (report.Added, report.Updated, report.Unchanged, report.Removed));
        var article = await _search.GetAsync(new ArticleKey("en", "refunds"), CancellationToken.None);
        Assert.Equal("Refunds and credits", article!.Title);
    }

    [Fact]
    public async Task ImportAsync_FileDeleted_UnpublishesArticle()
    {
        WriteThree();
        await ImportAsync();
        File.Delete(Path.Combine(Content, "en/account/sign-in.md"));

        var report = await ImportAsync();

        Assert.Equal((0, 0, 2, 1), (report.Added, report.Updated, report.Unchanged, report.Removed));
        Assert.Null(await _search.GetAsync(new ArticleKey("en", "sign-in"), CancellationToken.None));
        Assert.Empty(await _search.SearchAsync(new KnowledgeQuery("email address"), CancellationToken.None));
    }

    [Fact]
    public async Task ImportAsync_BadFrontMatter_SkipsThatFileWithLineAndImportsTheRest()
    {
        WriteThree();
        File.WriteAllText(Path.Combine(Content, "en/billing/broken.md"), "---\ntitle: Broken\nlocale: en\naudience: everybody\n---\nbody");
        File.WriteAllText(Path.Combine(Content, "en/billing/no-front-matter.md"), "# Nothing here\n");

        var report = await ImportAsync();

        Assert.Equal(3, report.Added);
        Assert.Equal(2, report.Errors.Count);
        Assert.Contains(report.Errors, e => e is { File: "en/billing/broken.md", Line: 4 } && e.Message.Contains("audience", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e is { File: "en/billing/no-front-matter.md", Line: 1 });
    }

    [Fact]
    public async Task ImportAsync_PublishedArticleBreaks_KeepsItsLastGoodVersion()
    {
        WriteThree();
        await ImportAsync();
        File.WriteAllText(Path.Combine(Content, "en/billing/refunds.md"), "---\ntitle: Refunds\nlocale: [en\n---\nbody");

        var report = await ImportAsync();

        Assert.Equal(0, report.Removed);
        Assert.Equal("en/billing/refunds.md", Assert.Single(report.Errors).File);
        Assert.NotNull(await _search.GetAsync(new ArticleKey("en", "refunds"), CancellationToken.None));
    }

    [Fact]
    public async Task ImportAsync_DuplicateSlugInLocale_ReportsTheSecondFile()
    {
        WriteThree();
        Write("en/policies/refunds.md", "Refund policy", slug: "refunds");

        var report = await ImportAsync();

        Assert.Equal(3, report.Added);
        var error = Assert.Single(report.Errors);
        Assert.Equal("en/policies/refunds.md", error.File);
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_ReadmeAndUnderscoreFiles_AreNotArticles()
    {
        WriteThree();
        File.WriteAllText(Path.Combine(Content, "README.md"), "# How to write articles\n");
        Directory.CreateDirectory(Path.Combine(Content, "_drafts"));
        File.WriteAllText(Path.Combine(Content, "_drafts", "idea.md"), "not yet\n");

        var report = await ImportAsync();

        Assert.Equal(3, report.Added);
        Assert.Empty(report.Errors);
    }

    [Fact]
    public async Task ImportAsync_FolderMissing_ReportsItAndUnpublishesNothing()
    {
        WriteThree();
        await ImportAsync();

        var report = await _importer.ImportAsync(Path.Combine(_root, "nowhere"), cancellationToken: CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(0, report.Removed);
        Assert.Contains("does not exist", Assert.Single(report.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(3, (await _search.GetManifestAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ImportAsync_Rebuild_ReindexesEverythingAndDropsDeleted()
    {
        WriteThree();
        await ImportAsync();
        File.Delete(Path.Combine(Content, "en/account/sign-in.md"));

        var report = await ImportAsync(rebuild: true);

        Assert.Equal((0, 0, 2, 1), (report.Added, report.Updated, report.Unchanged, report.Removed));
        Assert.Equal(2, (await _search.GetManifestAsync(CancellationToken.None)).Count);
        Assert.NotEmpty(await _search.SearchAsync(new KnowledgeQuery("refund"), CancellationToken.None));
    }

    [Fact]
    public async Task ImportAsync_WithProgress_ReportsCompletion()
    {
        WriteThree();
        var reports = new List<ImportProgress>();

        await ImportAsync(progress: new SynchronousProgress(reports.Add));

        Assert.Equal(new ImportProgress(3, 3, null), reports[^1]);
    }

    [Fact]
    public async Task ImportAsync_RepositoryKbContent_ImportsWithZeroErrors()
    {
        var content = Path.Combine(RepoRoot(), "kb-content");
        Assert.True(Directory.Exists(content), $"{content} is missing");

        var report = await _importer.ImportAsync(content, cancellationToken: CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(report.Errors.Count == 0, string.Join(Environment.NewLine, report.Errors));
        var manifest = await _search.GetManifestAsync(CancellationToken.None);
        Assert.Equal(report.Published, manifest.Count);
        if (manifest.Count > 0)
        {
            var first = manifest.Keys.First();
            Assert.NotNull(await _search.GetAsync(first, CancellationToken.None));
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ContactCenter.sln not found above the test folder.");
    }

    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
