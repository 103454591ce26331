using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>The conformance suite through the ranking decorator (hybrid over Lucene, the product's default): fusion breaks no contract.</summary>
public sealed class HybridKnowledgeSearchConformanceTests : KnowledgeSearchConformanceTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private LuceneKnowledgeSearch? _lucene;

    protected override Task<IKnowledgeSearch> CreateEngineAsync()
    {
        _lucene = new LuceneKnowledgeSearch(_folder.Path, NullLogger<LuceneKnowledgeSearch>.Instance);
        return Task.FromResult<IKnowledgeSearch>(HybridKnowledgeSearchTests.Hybrid(_lucene, KnowledgeRanking.Hybrid));
    }

    protected override Task DisposeEngineAsync(IKnowledgeSearch engine)
    {
        _lucene?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Semantic and hybrid ranking with the real local model (all-MiniLM-L6-v2) over a real Lucene index.</summary>
public sealed class HybridKnowledgeSearchTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempFolder _folder = new();
    private LuceneKnowledgeSearch _lucene = default!;

    internal static HybridKnowledgeSearch Hybrid(IKnowledgeSearch engine, KnowledgeRanking mode) =>
        new(engine, new MiniLmEmbedder(), Options.Create(new KnowledgeRankingOptions { Mode = mode }), NullLogger<HybridKnowledgeSearch>.Instance);

    public async Task InitializeAsync()
    {
        _lucene = new LuceneKnowledgeSearch(_folder.Path, NullLogger<LuceneKnowledgeSearch>.Instance);
        await _lucene.UpsertAsync(KnowledgeCorpus.Articles(), CancellationToken.None).WaitAsync(Timeout);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _lucene.Dispose();
        _folder.Dispose();
    }

    private async Task<HybridKnowledgeSearch> ReadyAsync(KnowledgeRanking mode)
    {
        var search = Hybrid(_lucene, mode);
        await search.Ready.WaitAsync(Timeout);
        return search;
    }

    [Fact]
    public void Embed_SimilarQuestions_AreCloserThanUnrelatedOnes_AndUnitLength()
    {
        var vectors = new MiniLmEmbedder().Embed(["Where is my parcel?", "How can I track my package?", "Which credit cards do you accept?"], CancellationToken.None);

        static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 0.999, 1.001));
        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.2);
    }

    [Fact]
    public async Task Search_ParaphraseWithoutTheArticlesWords_FoundByMeaning()
    {
        var query = new KnowledgeQuery("where is my package right now", KnowledgeLocales.English);

        var bm25 = await _lucene.SearchAsync(query, CancellationToken.None);
        var hybrid = await (await ReadyAsync(KnowledgeRanking.Hybrid)).SearchAsync(query, CancellationToken.None);
        var semantic = await (await ReadyAsync(KnowledgeRanking.Semantic)).SearchAsync(query, CancellationToken.None);

        Assert.NotEqual("track-order", bm25.FirstOrDefault()?.Slug);
        Assert.Equal("track-order", hybrid[0].Slug);
        Assert.Equal("track-order", semantic[0].Slug);
        Assert.DoesNotContain("<", semantic[0].Snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Hybrid_KeepsTheEnginesHighlightedSnippetForWordMatches()
    {
        var hits = await (await ReadyAsync(KnowledgeRanking.Hybrid)).SearchAsync(new KnowledgeQuery("invoice", KnowledgeLocales.English), CancellationToken.None);

        Assert.Equal("download-invoice", hits[0].Slug);
        Assert.Contains("<mark>", hits[0].Snippet, StringComparison.Ordinal);
        Assert.True(hits.Zip(hits.Skip(1), (a, b) => a.Score >= b.Score).All(x => x));
    }

    [Fact]
    public async Task Search_Anonymous_NeverGetsInternalArticlesByMeaning_StaffDo()
    {
        var search = await ReadyAsync(KnowledgeRanking.Semantic);
        var text = "who must approve a very large money back request";

        var anonymous = await search.SearchAsync(new KnowledgeQuery(text, KnowledgeLocales.English), CancellationToken.None);
        var staff = await search.SearchAsync(new KnowledgeQuery(text, KnowledgeLocales.English, Audience: AudienceFilter.All), CancellationToken.None);

        Assert.DoesNotContain(anonymous, h => h.Audience == KnowledgeAudience.Internal);
        Assert.Equal("escalate-refund", staff[0].Slug);
    }

    [Fact]
    public async Task Search_ChineseQuery_IsTheEnginesBm25Ranking()
    {
        var query = new KnowledgeQuery("退货", KnowledgeLocales.ChineseSimplified);

        var hybrid = await (await ReadyAsync(KnowledgeRanking.Hybrid)).SearchAsync(query, CancellationToken.None);
        var bm25 = await _lucene.SearchAsync(query, CancellationToken.None);

        Assert.Equal(bm25, hybrid);
        Assert.Equal("return-an-item", hybrid[0].Slug);
    }

    [Fact]
    public async Task Remove_Article_NoLongerFoundByMeaning()
    {
        var search = await ReadyAsync(KnowledgeRanking.Semantic);
        await search.RemoveAsync([new ArticleKey(KnowledgeLocales.English, "track-order")], CancellationToken.None);

        var hits = await search.SearchAsync(new KnowledgeQuery("where is my package right now", KnowledgeLocales.English), CancellationToken.None);

        Assert.DoesNotContain(hits, h => h.Slug == "track-order");
    }

    [Fact]
    public async Task Ready_OverAnIndexFromAPreviousRun_EmbedsWhatIsPublished()
    {
        // Nothing was upserted through this decorator: it learns the articles from the engine (a restart with an index on disk).
        var search = Hybrid(_lucene, KnowledgeRanking.Semantic);
        await search.SearchAsync(new KnowledgeQuery("warm up", KnowledgeLocales.English), CancellationToken.None);
        await search.Ready.WaitAsync(Timeout);

        var hits = await search.SearchAsync(new KnowledgeQuery("how can I pay", KnowledgeLocales.English), CancellationToken.None);

        Assert.Equal("payment-methods", hits[0].Slug);
    }
}
