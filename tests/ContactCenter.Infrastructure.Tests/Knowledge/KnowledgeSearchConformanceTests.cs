using ContactCenter.Application.Knowledge;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>
/// The behaviour every knowledge search engine must have. Each engine's subclass supplies a fresh, empty engine;
/// the Lucene one always runs, the Elasticsearch one when ELASTICSEARCH_URL is set.
/// </summary>
public abstract class KnowledgeSearchConformanceTests : IAsyncLifetime
{
    private IKnowledgeSearch? _search;

    protected IKnowledgeSearch Search => _search ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A new engine with an empty index of its own.</summary>
    protected abstract Task<IKnowledgeSearch> CreateEngineAsync();

    protected virtual Task DisposeEngineAsync(IKnowledgeSearch engine) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _search = await CreateEngineAsync();
        await Search.UpsertAsync(KnowledgeCorpus.Articles(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_search is not null)
        {
            await DisposeEngineAsync(_search);
        }
    }

    private Task<IReadOnlyList<KnowledgeHit>> FindAsync(string text, string? locale = null, string? category = null, AudienceFilter audience = AudienceFilter.PublicOnly, int limit = 10) =>
        Search.SearchAsync(new KnowledgeQuery(text, locale, category, audience, limit), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    [ConformanceFact]
    public async Task Search_EnglishQuestion_RanksRightArticleFirst()
    {
        var hits = await FindAsync("how do I reset my password");

        Assert.NotEmpty(hits);
        Assert.Equal(("reset-password", "en"), (hits[0].Slug, hits[0].Locale));
        Assert.Equal("Reset your password", hits[0].Title);
        Assert.Equal("account", hits[0].Category);
        Assert.True(hits[0].Score > 0);
    }

    [ConformanceFact]
    public async Task Search_ScoresDescending_HitsAreRanked()
    {
        var hits = await FindAsync("order tracking");

        Assert.True(hits.Count >= 3, string.Join(", ", hits.Select(h => h.Slug)));
        Assert.Equal("track-order", hits[0].Slug);
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Slug), hits.Select(h => h.Slug));
    }

    [ConformanceFact]
    public async Task Search_TermInTitle_BeatsTermRepeatedInBody()
    {
        var hits = await FindAsync("warranty", locale: "en");

        Assert.Equal(["warranty-coverage", "product-care"], hits.Select(h => h.Slug).Take(2));
    }

    [ConformanceFact]
    public async Task Search_Typo_FindsArticle()
    {
        var hits = await FindAsync("pasword", locale: "en");

        Assert.NotEmpty(hits);
        Assert.Equal("reset-password", hits[0].Slug);
    }

    [ConformanceFact]
    public async Task Search_ChineseQuery_FindsChineseReturnsArticle()
    {
        var hits = await FindAsync("退货");

        Assert.NotEmpty(hits);
        Assert.Equal(("return-an-item", "zh-CN"), (hits[0].Slug, hits[0].Locale));
        Assert.Equal("如何退货", hits[0].Title);
    }

    [ConformanceFact]
    public async Task Search_ChineseSentence_FindsChineseArticle()
    {
        var hits = await FindAsync("忘记密码怎么办", locale: "zh-CN");

        Assert.NotEmpty(hits);
        Assert.Equal("reset-password", hits[0].Slug);
        Assert.All(hits, h => Assert.Equal("zh-CN", h.Locale));
    }

    [ConformanceFact]
    public async Task Search_LocaleFilter_ReturnsOnlyThatLocale()
    {
        var english = await FindAsync("return refund", locale: "en");
        var chinese = await FindAsync("退款", locale: "zh-CN");
        var chineseQueryInEnglish = await FindAsync("退货", locale: "en");

        Assert.NotEmpty(english);
        Assert.All(english, h => Assert.Equal("en", h.Locale));
        Assert.NotEmpty(chinese);
        Assert.All(chinese, h => Assert.Equal("zh-CN", h.Locale));
        Assert.Empty(chineseQueryInEnglish);
    }

    [ConformanceFact]
    public async Task Search_CategoryFilter_ReturnsOnlyThatCategory()
    {
        var hits = await FindAsync("order invoice card tracking", locale: "en", category: "billing");

        Assert.Equal(["download-invoice", "payment-methods"], hits.Select(h => h.Slug).Order(StringComparer.Ordinal));
    }

    [ConformanceFact]
    public async Task Search_Anonymous_ExcludesInternalArticles()
    {
        var hits = await FindAsync("refund supervisor escalation");

        Assert.DoesNotContain(hits, h => h.Slug == "escalate-refund");
        Assert.All(hits, h => Assert.Equal(KnowledgeAudience.Public, h.Audience));
    }

    [ConformanceFact]
    public async Task Search_Staff_IncludesInternalArticles()
    {
        var hits = await FindAsync("refund supervisor escalation", audience: AudienceFilter.All);

        Assert.Equal("escalate-refund", hits[0].Slug);
        Assert.Equal(KnowledgeAudience.Internal, hits[0].Audience);
    }

    [ConformanceFact]
    public async Task Search_Limit_CapsHits()
    {
        var hits = await FindAsync("order", limit: 1);

        Assert.Single(hits);
    }

    [ConformanceFact]
    public async Task Search_Snippet_HighlightsMatchAndEncodesText()
    {
        var link = await FindAsync("reset link", locale: "en");
        var shipping = await FindAsync("tracking number", locale: "en");

        Assert.Equal("reset-password", link[0].Slug);
        Assert.Contains("<mark>link</mark>", link[0].Snippet, StringComparison.Ordinal);
        Assert.Equal("track-order", shipping[0].Slug);
        Assert.Contains("<mark>", shipping[0].Snippet, StringComparison.Ordinal);
        var withoutMarks = shipping[0].Snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal);
        Assert.DoesNotContain('<', withoutMarks);
        Assert.Contains("&lt;", withoutMarks, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Search_ChineseSnippet_HighlightsChineseMatch()
    {
        var hits = await FindAsync("退货", locale: "zh-CN");

        Assert.Contains("<mark>", hits[0].Snippet, StringComparison.Ordinal);
        Assert.Contains("退货", hits[0].Snippet, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Remove_Article_Unpublishes()
    {
        await Search.RemoveAsync([new ArticleKey("en", "return-an-item")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var hits = await FindAsync("return an item refund", locale: "en");
        Assert.DoesNotContain(hits, h => h.Slug == "return-an-item");
        Assert.Null(await Search.GetAsync(new ArticleKey("en", "return-an-item"), CancellationToken.None));
        Assert.NotNull(await Search.GetAsync(new ArticleKey("zh-CN", "return-an-item"), CancellationToken.None));
        var manifest = await Search.GetManifestAsync(CancellationToken.None);
        Assert.False(manifest.ContainsKey(new ArticleKey("en", "return-an-item")));
    }

    [ConformanceFact]
    public async Task Upsert_SameKey_ReplacesArticle()
    {
        var changed = KnowledgeCorpus.Article("en/shipping/track-order.md") with { Title = "Where is my parcel", ContentHash = "changed" };

        await Search.UpsertAsync([changed], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var hits = await FindAsync("parcel", locale: "en");
        Assert.Equal("Where is my parcel", hits[0].Title);
        var manifest = await Search.GetManifestAsync(CancellationToken.None);
        Assert.Equal("changed", manifest[new ArticleKey("en", "track-order")]);
        Assert.Equal(KnowledgeCorpus.Files.Count, manifest.Count);
    }

    [ConformanceFact]
    public async Task GetManifest_AfterUpsert_HasEveryContentHash()
    {
        var manifest = await Search.GetManifestAsync(CancellationToken.None);

        var expected = KnowledgeCorpus.Articles().ToDictionary(a => a.Key, a => a.ContentHash);
        Assert.Equal(expected.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal), manifest.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal));
    }

    [ConformanceFact]
    public async Task Get_PublishedArticle_ReturnsRenderedHtmlAndFrontMatter()
    {
        var article = await Search.GetAsync(new ArticleKey("en", "reset-password"), CancellationToken.None);

        Assert.NotNull(article);
        Assert.Equal("Reset your password", article.Title);
        Assert.Equal(["password", "sign-in", "account"], article.Tags);
        Assert.Equal(new DateOnly(2025, 3, 1), article.Updated);
        Assert.Contains("<strong>Forgot password</strong>", article.Html, StringComparison.Ordinal);
        Assert.Null(await Search.GetAsync(new ArticleKey("en", "no-such-article"), CancellationToken.None));
    }

    [ConformanceFact]
    public async Task List_LocaleAndCategory_ReturnsThoseArticlesOrdered()
    {
        var billing = await Search.ListAsync(new KnowledgeListQuery("en", "billing"), CancellationToken.None);
        var allEnglishPublic = await Search.ListAsync(new KnowledgeListQuery("en"), CancellationToken.None);
        var allEnglishStaff = await Search.ListAsync(new KnowledgeListQuery("en", Audience: AudienceFilter.All), CancellationToken.None);

        Assert.Equal(["Change your payment method", "Download an invoice"], billing.Select(a => a.Title));
        Assert.Equal(7, allEnglishPublic.Count);
        Assert.Equal(8, allEnglishStaff.Count);
        Assert.Equal(allEnglishPublic.Select(a => a.Category).Order(StringComparer.Ordinal), allEnglishPublic.Select(a => a.Category));
    }

    [ConformanceFact]
    public async Task Suggest_TypedPrefix_CompletesTitles()
    {
        var suggestions = await Search.SuggestAsync(new KnowledgeSuggestQuery("reset pa", "en"), CancellationToken.None);
        var single = await Search.SuggestAsync(new KnowledgeSuggestQuery("Trac"), CancellationToken.None);
        var chinese = await Search.SuggestAsync(new KnowledgeSuggestQuery("如何", "zh-CN"), CancellationToken.None);

        Assert.Equal("Reset your password", suggestions[0].Title);
        Assert.Equal("track-order", single[0].Slug);
        Assert.Equal("如何退货", chinese[0].Title);
    }

    [ConformanceFact]
    public async Task Suggest_Anonymous_ExcludesInternalTitles()
    {
        var suggestions = await Search.SuggestAsync(new KnowledgeSuggestQuery("Escal"), CancellationToken.None);
        var staff = await Search.SuggestAsync(new KnowledgeSuggestQuery("Escal", Audience: AudienceFilter.All), CancellationToken.None);

        Assert.Empty(suggestions);
        Assert.Equal("escalate-refund", staff[0].Slug);
    }

    [ConformanceFact]
    public async Task MoreLikeThis_CustomerMessages_SuggestsMatchingArticle()
    {
        var hits = await Search.MoreLikeThisAsync(new KnowledgeMoreLikeThisQuery(
            "Hi, I bought shoes last week and they do not fit. How do I send them back and get a refund?", "en"), CancellationToken.None);

        Assert.NotEmpty(hits);
        Assert.Equal("return-an-item", hits[0].Slug);
        Assert.DoesNotContain(hits, h => h.Audience == KnowledgeAudience.Internal);
    }

    [ConformanceFact]
    public async Task Reindex_NewSet_ReplacesEverythingAtOnce()
    {
        var only = KnowledgeCorpus.Article("en/account/reset-password.md");

        await Search.ReindexAsync([only], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var manifest = await Search.GetManifestAsync(CancellationToken.None);
        Assert.Equal([only.Key], manifest.Keys);
        Assert.Empty(await FindAsync("invoice"));
        Assert.Equal("reset-password", (await FindAsync("password"))[0].Slug);
    }
}
