using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>The conformance suite on the embedded engine: a real Lucene index on disk in a temp folder.</summary>
public sealed class LuceneKnowledgeSearchConformanceTests : KnowledgeSearchConformanceTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<IKnowledgeSearch> CreateEngineAsync() =>
        Task.FromResult<IKnowledgeSearch>(new LuceneKnowledgeSearch(_folder.Path, NullLogger<LuceneKnowledgeSearch>.Instance));

    protected override Task DisposeEngineAsync(IKnowledgeSearch engine)
    {
        ((LuceneKnowledgeSearch)engine).Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>What only the Lucene engine does: the index and its manifest on disk, reopening, concurrent use.</summary>
public sealed class LuceneKnowledgeSearchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private LuceneKnowledgeSearch Open() => new(_folder.Path, NullLogger<LuceneKnowledgeSearch>.Instance);

    [Fact]
    public async Task Reopen_AfterUpsert_KeepsArticlesAndManifest()
    {
        using (var first = Open())
        {
            await first.UpsertAsync(KnowledgeCorpus.Articles(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }

        using var second = Open();
        var manifest = await second.GetManifestAsync(CancellationToken.None);
        var hits = await second.SearchAsync(new KnowledgeQuery("invoice"), CancellationToken.None);

        Assert.Equal(KnowledgeCorpus.Files.Count, manifest.Count);
        Assert.Equal("download-invoice", hits[0].Slug);
    }

    [Fact]
    public async Task Upsert_Commit_WritesManifestFileBesideIndex()
    {
        using var search = Open();
        await search.UpsertAsync([KnowledgeCorpus.Article("en/account/reset-password.md")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(Directory.Exists(search.IndexFolder));
        var manifest = await File.ReadAllTextAsync(search.ManifestPath);
        Assert.Contains("\"en/reset-password\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ManifestFileMissingOrStale_RebuildsItFromIndex()
    {
        using (var first = Open())
        {
            await first.UpsertAsync(KnowledgeCorpus.Articles(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
            File.WriteAllText(first.ManifestPath, "{\"Version\":1,\"Articles\":{\"en/ghost\":\"x\"}}");
        }

        using var second = Open();
        var manifest = await second.GetManifestAsync(CancellationToken.None);

        Assert.Equal(KnowledgeCorpus.Files.Count, manifest.Count);
        Assert.False(manifest.ContainsKey(new ArticleKey("en", "ghost")));
    }

    [Fact]
    public async Task Search_WhileWriting_NeverFailsOrSeesEmptyIndex()
    {
        using var search = Open();
        var articles = KnowledgeCorpus.Articles();
        await search.UpsertAsync(articles, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await search.ReindexAsync(articles, CancellationToken.None);
                await search.UpsertAsync([articles[0] with { ContentHash = $"v{i}" }], CancellationToken.None);
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var found = 0;
            for (var i = 0; i < 25; i++)
            {
                var hits = await search.SearchAsync(new KnowledgeQuery("invoice", "en"), CancellationToken.None);
                found += hits.Count > 0 && hits[0].Slug == "download-invoice" ? 1 : 0;
            }

            return found;
        })).ToList();

        await writer.WaitAsync(TimeSpan.FromSeconds(90));
        var counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.All(counts, c => Assert.Equal(25, c));
    }
}
