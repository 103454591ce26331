using System.Text.Json.Nodes;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Knowledge;
using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Infrastructure.Tests.Knowledge;

/// <summary>The Elasticsearch adapter's exact requests (mappings, bulk NDJSON, query DSL, alias swap) and its handling of recorded responses.</summary>
public sealed class ElasticsearchKnowledgeSearchTests : IAsyncLifetime
{
    private const string Generation = "kb-test-20250301-120000-000";
    private FakeElasticsearch _es = null!;

    public async Task InitializeAsync() => _es = await FakeElasticsearch.StartAsync();

    public async Task DisposeAsync() => await _es.DisposeAsync();

    private ElasticsearchKnowledgeSearch Adapter(string chinese = "auto") => new(
        new ElasticsearchClient(new ElasticsearchClientSettings(_es.Url)),
        new ElasticsearchKnowledgeOptions { Url = _es.Url.ToString(), Index = "kb-test", ChineseAnalyzer = chinese },
        new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)),
        NullLogger<ElasticsearchKnowledgeSearch>.Instance);

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    /// <summary>A keyed JSON collection in either of the shapes Elasticsearch accepts: {"a":…,"b":…} or [{"a":…},{"b":…}].</summary>
    private static Dictionary<string, JsonNode> Entries(JsonNode node) =>
        (node is JsonArray array ? array.SelectMany(e => e!.AsObject()) : node.AsObject()).ToDictionary(p => p.Key, p => p.Value!);

    [Fact]
    public async Task UpsertAsync_FirstUse_CreatesGenerationWithMappingsAndAliasThenBulkIndexes()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (404, Recorded.AliasMissing),
            "POST /_analyze" => (400, Recorded.SmartcnMissing),
            "PUT /" + Generation => (200, Recorded.IndexCreated(Generation)),
            "POST /kb-test/_bulk" => (200, Recorded.BulkCreated(Generation, "en/reset-password", "zh-CN/return-an-item")),
            _ => (500, "{}"),
        };
        var articles = new[] { KnowledgeCorpus.Article("en/account/reset-password.md"), KnowledgeCorpus.Article("zh-CN/returns/return-an-item.md") };

        await Adapter().UpsertAsync(articles, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var requests = _es.Requests;
        Assert.Equal(["GET /_alias/kb-test", "POST /_analyze", "PUT /" + Generation, "POST /kb-test/_bulk"], requests.Select(r => r.Line));

        var probe = requests[1].Json;
        Assert.Equal("smartcn", Str(probe["analyzer"]));
        Assert.Equal("退货", probe["text"] is JsonArray texts ? Str(texts[0]) : Str(probe["text"]));

        var create = requests[2].Json;
        Assert.NotNull(create["aliases"]!["kb-test"]);
        var settings = create["settings"]!["index"] ?? create["settings"]!;
        Assert.Equal("1", settings["number_of_shards"]!.ToString());
        var mappings = create["mappings"]!;
        Assert.Equal("strict", Str(mappings["dynamic"]));
        Assert.Equal(1, mappings["_meta"]!["schema"]!.GetValue<int>());
        var properties = mappings["properties"]!;
        foreach (var field in new[] { "title_en", "tags_en", "body_en" })
        {
            Assert.Equal("text", Str(properties[field]!["type"]));
            Assert.Equal("english", Str(properties[field]!["analyzer"]));
        }

        foreach (var field in new[] { "title_zh", "tags_zh", "body_zh" })
        {
            Assert.Equal("cjk", Str(properties[field]!["analyzer"]));
        }

        foreach (var field in new[] { "id", "slug", "locale", "category", "audience", "tags" })
        {
            Assert.Equal("keyword", Str(properties[field]!["type"]));
        }

        Assert.False(properties["html"]!["index"]!.GetValue<bool>());
        Assert.Equal("standard", Str(properties["title"]!["analyzer"]));

        var bulk = requests[3];
        Assert.Contains("refresh=wait_for", bulk.Query, StringComparison.Ordinal);
        var lines = bulk.NdJson;
        Assert.Equal(4, lines.Count);
        Assert.Equal("en/reset-password", Str(lines[0]["index"]!["_id"]));
        Assert.Equal("Reset your password", Str(lines[1]["title_en"]));
        Assert.Equal("public", Str(lines[1]["audience"]));
        Assert.Equal(articles[0].ContentHash, Str(lines[1]["content_hash"]));
        Assert.Null(lines[1]["title_zh"]);
        Assert.Equal("zh-CN/return-an-item", Str(lines[2]["index"]!["_id"]));
        Assert.Equal("如何退货", Str(lines[3]["title_zh"]));
        Assert.Contains("退货", Str(lines[3]["body_zh"]), StringComparison.Ordinal);
        Assert.Null(lines[3]["body_en"]);
    }

    [Fact]
    public async Task UpsertAsync_SmartcnInstalled_MapsChineseFieldsWithSmartcn()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (404, Recorded.AliasMissing),
            "POST /_analyze" => (200, Recorded.SmartcnTokens),
            "PUT /" + Generation => (200, Recorded.IndexCreated(Generation)),
            "POST /kb-test/_bulk" => (200, Recorded.BulkCreated(Generation, "zh-CN/return-an-item")),
            _ => (500, "{}"),
        };

        await Adapter().UpsertAsync([KnowledgeCorpus.Article("zh-CN/returns/return-an-item.md")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var create = _es.Requests.Single(r => r.Method == "PUT").Json;
        Assert.Equal("smartcn", Str(create["mappings"]!["properties"]!["body_zh"]!["analyzer"]));
    }

    [Fact]
    public async Task UpsertAsync_ChineseAnalyzerConfigured_DoesNotProbe()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (404, Recorded.AliasMissing),
            "PUT /" + Generation => (200, Recorded.IndexCreated(Generation)),
            "POST /kb-test/_bulk" => (200, Recorded.BulkCreated(Generation, "zh-CN/return-an-item")),
            _ => (500, "{}"),
        };

        await Adapter("cjk").UpsertAsync([KnowledgeCorpus.Article("zh-CN/returns/return-an-item.md")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(_es.Requests, r => r.Path == "/_analyze");
        Assert.Equal("cjk", Str(_es.Requests.Single(r => r.Method == "PUT").Json["mappings"]!["properties"]!["title_zh"]!["analyzer"]));
    }

    [Fact]
    public async Task UpsertAsync_BulkItemRejected_ThrowsWithTheReason()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "POST /kb-test/_bulk" => (200, Recorded.BulkStrictMappingError(Generation, "en/reset-password")),
            _ => (500, "{}"),
        };

        var error = await Assert.ThrowsAsync<KnowledgeSearchException>(() =>
            Adapter().UpsertAsync([KnowledgeCorpus.Article("en/account/reset-password.md")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("mapping set to strict", error.Message, StringComparison.Ordinal);
        Assert.Contains("en/reset-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_PublicEnglishQuery_SendsBoostedFuzzyFilteredHighlightedDsl()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "POST /kb-test/_search" => (200, Recorded.EmptySearch),
            _ => (500, "{}"),
        };

        var hits = await Adapter().SearchAsync(new KnowledgeQuery("pasword reset", "en", "account", AudienceFilter.PublicOnly, 7), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(hits);
        var body = _es.Requests.Single(r => r.Path == "/kb-test/_search").Json;
        Assert.Equal(7, body["size"]!.GetValue<int>());
        var boolQuery = body["query"]!["bool"]!;
        Assert.Equal("1", boolQuery["minimum_should_match"]!.ToString());
        var should = boolQuery["should"]!.AsArray();
        Assert.Equal(3, should.Count);
        var exact = should[0]!["multi_match"]!;
        Assert.Equal("pasword reset", Str(exact["query"]));
        Assert.Equal("most_fields", Str(exact["type"]));
        Assert.Equal(["title_en^4", "tags_en^2", "body_en"], exact["fields"]!.AsArray().Select(f => Str(f)));
        Assert.Null(exact["fuzziness"]);
        var fuzzy = should[1]!["multi_match"]!;
        Assert.Equal("AUTO:4,8", Str(fuzzy["fuzziness"]));
        Assert.Equal(1, fuzzy["prefix_length"]!.GetValue<int>());
        Assert.Equal(0.3, fuzzy["boost"]!.GetValue<double>(), 3);
        var phrase = should[2]!["multi_match"]!;
        Assert.Equal("phrase", Str(phrase["type"]));
        Assert.Equal(3, phrase["slop"]!.GetValue<int>());

        var filters = boolQuery["filter"]!.AsArray().Select(f => f!["term"]!.AsObject().Single()).ToDictionary(p => p.Key, p => Str(p.Value!["value"]) ?? Str(p.Value));
        Assert.Equal(new Dictionary<string, string?> { ["locale"] = "en", ["category"] = "account", ["audience"] = "public" }, filters);

        var highlight = body["highlight"]!;
        Assert.Equal(["<mark>"], highlight["pre_tags"]!.AsArray().Select(t => Str(t)));
        Assert.Equal(["</mark>"], highlight["post_tags"]!.AsArray().Select(t => Str(t)));
        Assert.Equal("html", Str(highlight["encoder"]));
        var highlighted = Entries(highlight["fields"]!);
        Assert.Equal(["body_en", "body_zh"], highlighted.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(180, highlighted["body_en"]["no_match_size"]!.GetValue<int>());
        Assert.Equal(2, highlighted["body_en"]["number_of_fragments"]!.GetValue<int>());
        Assert.Equal(["markdown", "html"], body["_source"]!["excludes"]!.AsArray().Select(f => Str(f)));
    }

    [Fact]
    public async Task SearchAsync_AnyLocaleStaff_SearchesBothLocalesWithoutAudienceFilter()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "POST /kb-test/_search" => (200, Recorded.EmptySearch),
            _ => (500, "{}"),
        };

        await Adapter().SearchAsync(new KnowledgeQuery("退货", null, null, AudienceFilter.All, 5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var body = _es.Requests.Single(r => r.Path == "/kb-test/_search").Json;
        var fields = body["query"]!["bool"]!["should"]!.AsArray().SelectMany(q => q!["multi_match"]!["fields"]!.AsArray().Select(f => Str(f))).ToHashSet();
        Assert.Contains("title_zh^4", fields);
        Assert.Contains("body_en", fields);
        Assert.DoesNotContain(body["query"]!["bool"]!["filter"]?.AsArray() ?? [], f => f!.ToJsonString().Contains("audience", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_RecordedResponse_MapsHitsScoresAndSnippets()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "POST /kb-test/_search" => (200, Recorded.SearchHits(Generation)),
            _ => (500, "{}"),
        };

        var hits = await Adapter().SearchAsync(new KnowledgeQuery("password", Audience: AudienceFilter.All), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, hits.Count);
        Assert.Equal(new KnowledgeHit("reset-password", "en", "Reset your password", "account", KnowledgeAudience.Public, 7.5321,
            "Forgot your <mark>password</mark>? Select Forgot <mark>password</mark> on the sign-in page."), hits[0]);
        Assert.Equal(KnowledgeAudience.Internal, hits[1].Audience);
        Assert.Equal("Refunds over 500 dollars need a supervisor &amp; a note.", hits[1].Snippet);
    }

    [Fact]
    public async Task ReindexAsync_ExistingGeneration_FillsNewGenerationThenSwapsAliasAtomicallyAndDeletesOld()
    {
        const string old = "kb-test-20250101-000000-000";
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(old)),
            "PUT /" + Generation => (200, Recorded.IndexCreated(Generation)),
            "POST /" + Generation + "/_bulk" => (200, Recorded.BulkCreated(Generation, "en/reset-password")),
            "POST /_aliases" => (200, Recorded.AliasesUpdated),
            "DELETE /" + old => (200, Recorded.Acknowledged),
            _ => (500, "{}"),
        };

        await Adapter("cjk").ReindexAsync([KnowledgeCorpus.Article("en/account/reset-password.md")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var requests = _es.Requests;
        Assert.Equal(["GET /_alias/kb-test", "PUT /" + Generation, "POST /" + Generation + "/_bulk", "POST /_aliases", "DELETE /" + old], requests.Select(r => r.Line));
        Assert.Null(requests[1].Json["aliases"]);
        Assert.Contains("refresh=true", requests[2].Query, StringComparison.Ordinal);
        var actions = requests[3].Json["actions"]!.AsArray();
        Assert.Equal(2, actions.Count);
        Assert.Equal(old, Str(actions[0]!["remove"]!["index"]));
        Assert.Equal("kb-test", Str(actions[0]!["remove"]!["alias"]));
        Assert.Equal(Generation, Str(actions[1]!["add"]!["index"]));
        Assert.Equal("kb-test", Str(actions[1]!["add"]!["alias"]));
    }

    [Fact]
    public async Task GetAsync_RecordedDocument_MapsArticle()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "GET /kb-test/_doc/zh-CN/return-an-item" => (200, Recorded.DocFound(Generation)),
            "GET /kb-test/_doc/en/nope" => (404, Recorded.DocMissing(Generation)),
            _ => (500, "{}"),
        };
        var adapter = Adapter();

        var article = await adapter.GetAsync(new ArticleKey("zh-CN", "return-an-item"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var missing = await adapter.GetAsync(new ArticleKey("en", "nope"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(article);
        Assert.Equal(("如何退货", "returns", new DateOnly(2025, 3, 5)), (article.Title, article.Category, article.Updated));
        Assert.Equal("<p>收到商品后三十天内可以申请退货。</p>", article.Html);
        Assert.Null(missing);
    }

    [Fact]
    public async Task GetManifestAsync_ReadsHashesSortedById()
    {
        _es.Respond = r => r.Line switch
        {
            "GET /_alias/kb-test" => (200, Recorded.AliasOf(Generation)),
            "POST /kb-test/_search" => (200, Recorded.SearchHits(Generation)),
            _ => (500, "{}"),
        };

        var manifest = await Adapter().GetManifestAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("abc", manifest[new ArticleKey("en", "reset-password")]);
        Assert.Equal("def", manifest[new ArticleKey("en", "escalate-refund")]);
        var body = _es.Requests.Single(r => r.Path == "/kb-test/_search").Json;
        Assert.Equal("asc", Str(Entries(body["sort"]!)["id"]["order"]));
        Assert.Equal(["locale", "slug", "content_hash"], body["_source"]!["includes"]!.AsArray().Select(f => Str(f)));
    }
}

/// <summary>The conformance suite against a real Elasticsearch (ELASTICSEARCH_URL), each test on an alias of its own.</summary>
[SkipUnlessEnvironment("ELASTICSEARCH_URL")]
public sealed class ElasticsearchKnowledgeSearchConformanceTests : KnowledgeSearchConformanceTests
{
    private readonly string _alias = "cc-kb-test-" + Guid.NewGuid().ToString("N")[..12];
    private ElasticsearchClient? _client;

    protected override Task<IKnowledgeSearch> CreateEngineAsync()
    {
        var url = new Uri(Environment.GetEnvironmentVariable("ELASTICSEARCH_URL")!);
        _client = new ElasticsearchClient(new ElasticsearchClientSettings(url));
        return Task.FromResult<IKnowledgeSearch>(new ElasticsearchKnowledgeSearch(_client,
            new ElasticsearchKnowledgeOptions { Url = url.ToString(), Index = _alias, Replicas = 0 }, TimeProvider.System,
            NullLogger<ElasticsearchKnowledgeSearch>.Instance));
    }

    protected override async Task DisposeEngineAsync(IKnowledgeSearch engine)
    {
        if (_client is not null)
        {
            await _client.Indices.DeleteAsync(new Elastic.Clients.Elasticsearch.IndexManagement.DeleteIndexRequest(Indices.Parse(_alias + "-*")))
                .WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
