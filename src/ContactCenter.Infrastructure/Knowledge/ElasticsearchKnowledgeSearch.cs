using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using ContactCenter.Application.Knowledge;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport.Products.Elasticsearch;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>The `Search:Elasticsearch` configuration section.</summary>
public sealed class ElasticsearchKnowledgeOptions
{
    public const string Section = "Search:Elasticsearch";

    public string Url { get; set; } = "";

    /// <summary>The alias searched and written; each generation is an index named {Index}-{timestamp} behind it.</summary>
    public string Index { get; set; } = "contactcenter-kb";

    /// <summary>Analyser of the zh-CN fields: `smartcn` (needs the analysis-smartcn plugin), `cjk` (built in), or `auto` (smartcn when installed).</summary>
    public string ChineseAnalyzer { get; set; } = "auto";

    /// <summary>Replicas of each generation (null: the cluster's default).</summary>
    public int? Replicas { get; set; }
}

/// <summary>
/// Knowledge search on Elasticsearch: explicit mappings (english analyser for en fields; smartcn or cjk for zh-CN), bulk
/// indexing, one index per generation behind an alias that is swapped atomically on reindex, and queries with field boosts,
/// fuzziness, highlighting and filters. The manifest is the documents' content_hash field.
/// </summary>
public sealed partial class ElasticsearchKnowledgeSearch : IKnowledgeSearch
{
    public const int SchemaVersion = 1;
    private const int PageSize = 1000;
    private static readonly string[] HeavyFields = ["markdown", "html", "body_en", "body_zh"];
    private readonly ElasticsearchClient _client;
    private readonly ElasticsearchKnowledgeOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ElasticsearchKnowledgeSearch> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public ElasticsearchKnowledgeSearch(ElasticsearchClient client, ElasticsearchKnowledgeOptions options, TimeProvider clock, ILogger<ElasticsearchKnowledgeSearch> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public string Alias => _options.Index;

    public async Task UpsertAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count == 0)
        {
            return;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        await BulkIndexAsync(Alias, articles, Refresh.WaitFor, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(IReadOnlyCollection<ArticleKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new BulkRequest(Alias) { Refresh = Refresh.WaitFor, Operations = [] };
        foreach (var key in keys)
        {
            request.Operations.Add(new BulkDeleteOperation(LuceneFields.IdOf(key)));
        }

        var response = await _client.BulkAsync(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "remove articles");
    }

    public async Task ReindexAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await IndicesBehindAliasAsync(cancellationToken).ConfigureAwait(false);
            var generation = await CreateGenerationAsync(withAlias: false, cancellationToken).ConfigureAwait(false);
            await BulkIndexAsync(generation, articles, Refresh.True, cancellationToken).ConfigureAwait(false);

            // One atomic alias update: searches go to the old generation until this instant, then to the new one.
            var swap = new UpdateAliasesRequest { Actions = [] };
            foreach (var old in previous)
            {
                swap.Actions.Add(new IndexUpdateAliasesAction { Remove = new RemoveAction { Index = old, Alias = Alias } });
            }

            swap.Actions.Add(new IndexUpdateAliasesAction { Add = new AddAction { Index = generation, Alias = Alias } });
            EnsureValid(await _client.Indices.UpdateAliasesAsync(swap, cancellationToken).ConfigureAwait(false), "swap the alias");
            if (previous.Count > 0)
            {
                EnsureValid(await _client.Indices.DeleteAsync(new DeleteIndexRequest(Indices.Parse(string.Join(',', previous))), cancellationToken).ConfigureAwait(false), "delete the previous generation");
            }

            _ready = true;
            LogSwapped(Alias, generation, articles.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyDictionary<ArticleKey, string>> GetManifestAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var manifest = new Dictionary<ArticleKey, string>();
        ICollection<FieldValue>? after = null;
        while (true)
        {
            var request = new SearchRequest<ArticleDocument>(Alias)
            {
                Size = PageSize,
                Query = new MatchAllQuery(),
                Sort = [new SortOptions { Field = new FieldSort("id") { Order = SortOrder.Asc } }],
                Source = new SourceConfig(new SourceFilter { Includes = Fields.FromStrings(["locale", "slug", "content_hash"]) }),
                SearchAfter = after,
            };
            var response = await _client.SearchAsync<ArticleDocument>(request, cancellationToken).ConfigureAwait(false);
            EnsureValid(response, "read the manifest");
            foreach (var hit in response.Hits)
            {
                if (hit.Source is { } doc)
                {
                    manifest[new ArticleKey(doc.Locale, doc.Slug)] = doc.ContentHash;
                }
            }

            if (response.Hits.Count < PageSize)
            {
                return manifest;
            }

            after = response.Hits.Last().Sort?.ToList();
        }
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new SearchRequest<ArticleDocument>(Alias)
        {
            Size = Math.Max(1, query.Limit),
            Query = new BoolQuery
            {
                Should = TextQueries(query.Text, query.Locale),
                MinimumShouldMatch = 1,
                Filter = Filters(query.Locale, query.Category, query.Audience),
            },
            Highlight = SnippetHighlight(),
            Source = new SourceConfig(new SourceFilter { Excludes = Fields.FromStrings(["markdown", "html"]) }),
        };
        var response = await _client.SearchAsync<ArticleDocument>(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "search");
        return Hits(response);
    }

    public async Task<IReadOnlyList<KnowledgeSuggestion>> SuggestAsync(KnowledgeSuggestQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Prefix))
        {
            return [];
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new SearchRequest<ArticleDocument>(Alias)
        {
            Size = Math.Max(1, query.Limit),
            Query = new BoolQuery
            {
                Should =
                [
                    new MatchPhrasePrefixQuery("title", query.Prefix.Trim()) { Boost = 2 },
                    new MatchBoolPrefixQuery("title", query.Prefix.Trim()),
                ],
                MinimumShouldMatch = 1,
                Filter = Filters(query.Locale, null, query.Audience),
            },
            Source = new SourceConfig(new SourceFilter { Includes = Fields.FromStrings(["slug", "locale", "title", "category"]) }),
        };
        var response = await _client.SearchAsync<ArticleDocument>(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "suggest");
        return response.Hits.Where(h => h.Source is not null)
            .Select(h => new KnowledgeSuggestion(h.Source!.Slug, h.Source.Locale, h.Source.Title, h.Source.Category))
            .ToList();
    }

    public async Task<IReadOnlyList<KnowledgeHit>> MoreLikeThisAsync(KnowledgeMoreLikeThisQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return [];
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var should = new List<Query>();
        foreach (var locale in LocalesOf(query.Locale))
        {
            should.Add(new MoreLikeThisQuery
            {
                Fields = Fields.FromStrings([LuceneFields.TitleOf(locale), LuceneFields.TagsOf(locale), LuceneFields.BodyOf(locale)]),
                Like = [new Like(query.Text)],
                MinTermFreq = 1,
                MinDocFreq = 1,
                MaxQueryTerms = 25,
            });
        }

        var request = new SearchRequest<ArticleDocument>(Alias)
        {
            Size = Math.Max(1, query.Limit),
            Query = new BoolQuery { Should = should, MinimumShouldMatch = 1, Filter = Filters(query.Locale, null, query.Audience) },
            Highlight = SnippetHighlight(),
            Source = new SourceConfig(new SourceFilter { Excludes = Fields.FromStrings(["markdown", "html"]) }),
        };
        var response = await _client.SearchAsync<ArticleDocument>(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "more like this");
        return Hits(response);
    }

    public async Task<KnowledgeArticle?> GetAsync(ArticleKey key, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var response = await _client.GetAsync<ArticleDocument>(new GetRequest(Alias, LuceneFields.IdOf(key)), cancellationToken).ConfigureAwait(false);
        if (response.ApiCallDetails.HttpStatusCode == (int)HttpStatusCode.NotFound || (response.IsValidResponse && !response.Found))
        {
            return null;
        }

        EnsureValid(response, "get an article");
        return response.Source?.ToArticle();
    }

    public async Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(KnowledgeListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new SearchRequest<ArticleDocument>(Alias)
        {
            Size = Math.Clamp(query.Limit, 1, 10_000),
            Query = new BoolQuery { Filter = Filters(query.Locale, query.Category, query.Audience) },
            Source = new SourceConfig(new SourceFilter { Excludes = Fields.FromStrings(HeavyFields) }),
        };
        var response = await _client.SearchAsync<ArticleDocument>(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "list articles");
        return response.Documents
            .Select(d => new KnowledgeArticleSummary(d.Slug, d.Locale, d.Title, d.Category, d.AudienceValue, d.Tags ?? [], d.UpdatedDate))
            .OrderBy(a => a.Category, StringComparer.Ordinal)
            .ThenBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <summary>The mappings of a generation: keyword filters, per-locale text fields with their analysers, stored-only HTML.</summary>
    public static TypeMapping Mappings(string chineseAnalyzer) => new()
    {
        Dynamic = DynamicMapping.Strict,
        Meta = new Dictionary<string, object> { ["schema"] = SchemaVersion },
        Properties = new Properties
        {
            { "id", new KeywordProperty() },
            { "slug", new KeywordProperty() },
            { "locale", new KeywordProperty() },
            { "category", new KeywordProperty() },
            { "audience", new KeywordProperty() },
            { "tags", new KeywordProperty() },
            { "updated", new DateProperty { Format = "yyyy-MM-dd" } },
            { "content_hash", new KeywordProperty { Index = false } },
            { "source", new KeywordProperty { Index = false } },
            { "title", new TextProperty { Analyzer = "standard" } },
            { "title_en", new TextProperty { Analyzer = "english" } },
            { "tags_en", new TextProperty { Analyzer = "english" } },
            { "body_en", new TextProperty { Analyzer = "english" } },
            { "title_zh", new TextProperty { Analyzer = chineseAnalyzer } },
            { "tags_zh", new TextProperty { Analyzer = chineseAnalyzer } },
            { "body_zh", new TextProperty { Analyzer = chineseAnalyzer } },
            { "markdown", new TextProperty { Index = false } },
            { "html", new TextProperty { Index = false } },
        },
    };

    /// <summary>Per locale: the terms on title^4, tags^2 and body, a fuzzy variant (en, words of 4+ letters) at 0.3, and a sloppy phrase.</summary>
    internal static List<Query> TextQueries(string text, string? locale)
    {
        var queries = new List<Query>();
        foreach (var l in LocalesOf(locale))
        {
            var fields = Fields.FromStrings([LuceneFields.TitleOf(l) + "^4", LuceneFields.TagsOf(l) + "^2", LuceneFields.BodyOf(l)]);
            queries.Add(new MultiMatchQuery(text) { Type = TextQueryType.MostFields, Fields = fields });
            if (l == KnowledgeLocales.English)
            {
                queries.Add(new MultiMatchQuery(text) { Type = TextQueryType.MostFields, Fields = fields, Fuzziness = new Fuzziness("AUTO:4,8"), PrefixLength = 1, Boost = 0.3f });
            }

            queries.Add(new MultiMatchQuery(text) { Type = TextQueryType.Phrase, Slop = 3, Fields = Fields.FromStrings([LuceneFields.TitleOf(l) + "^4", LuceneFields.BodyOf(l)]) });
        }

        return queries;
    }

    private static List<Query> Filters(string? locale, string? category, AudienceFilter audience)
    {
        var filters = new List<Query>();
        if (KnowledgeLocales.Normalize(locale) is { } canonical)
        {
            filters.Add(new TermQuery("locale", canonical));
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            filters.Add(new TermQuery("category", category.Trim()));
        }

        if (audience == AudienceFilter.PublicOnly)
        {
            filters.Add(new TermQuery("audience", "public"));
        }

        return filters;
    }

    private static Highlight SnippetHighlight() => new()
    {
        PreTags = ["<mark>"],
        PostTags = ["</mark>"],
        Encoder = HighlighterEncoder.Html,
        Fields = new Dictionary<Field, HighlightField>
        {
            ["body_en"] = new HighlightField { FragmentSize = Snippets.Length, NumberOfFragments = 2, NoMatchSize = Snippets.Length },
            ["body_zh"] = new HighlightField { FragmentSize = Snippets.ChineseLength, NumberOfFragments = 2, NoMatchSize = Snippets.ChineseLength },
        },
    };

    private static List<KnowledgeHit> Hits(SearchResponse<ArticleDocument> response) =>
        response.Hits.Where(h => h.Source is not null).Select(h =>
        {
            var doc = h.Source!;
            var field = LuceneFields.BodyOf(doc.Locale);
            var snippet = h.Highlight is not null && h.Highlight.TryGetValue(field, out var fragments) && fragments.Count > 0
                ? string.Join(" … ", fragments.Select(Snippets.Tidy))
                : Snippets.Lead(doc.Body ?? "", Snippets.LengthFor(doc.Locale));
            return new KnowledgeHit(doc.Slug, doc.Locale, doc.Title, doc.Category, doc.AudienceValue, Math.Round(h.Score ?? 0, 4), snippet);
        }).ToList();

    private static IReadOnlyList<string> LocalesOf(string? locale) =>
        KnowledgeLocales.Normalize(locale) is { } one ? [one] : KnowledgeLocales.All;

    private async Task BulkIndexAsync(string index, IReadOnlyCollection<KnowledgeArticle> articles, Refresh refresh, CancellationToken cancellationToken)
    {
        foreach (var chunk in articles.Chunk(500))
        {
            var request = new BulkRequest(index) { Refresh = refresh, Operations = [] };
            foreach (var article in chunk)
            {
                request.Operations.Add(new BulkIndexOperation<ArticleDocument>(ArticleDocument.From(article)) { Id = LuceneFields.IdOf(article.Key) });
            }

            var response = await _client.BulkAsync(request, cancellationToken).ConfigureAwait(false);
            EnsureValid(response, "index articles");
        }
    }

    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            if ((await IndicesBehindAliasAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                var generation = await CreateGenerationAsync(withAlias: true, cancellationToken).ConfigureAwait(false);
                LogCreated(Alias, generation);
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<string>> IndicesBehindAliasAsync(CancellationToken cancellationToken)
    {
        var response = await _client.Indices.GetAliasAsync(new GetAliasRequest(Names.Parse(Alias)), cancellationToken).ConfigureAwait(false);
        if (response.ApiCallDetails.HttpStatusCode == (int)HttpStatusCode.NotFound)
        {
            return [];
        }

        EnsureValid(response, "read the alias");
        return (response.Aliases?.Keys ?? []).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<string> CreateGenerationAsync(bool withAlias, CancellationToken cancellationToken)
    {
        var name = $"{Alias}-{_clock.GetUtcNow():yyyyMMdd-HHmmss-fff}";
        var request = new CreateIndexRequest(name)
        {
            Settings = new IndexSettings { NumberOfShards = 1 },
            Mappings = Mappings(await ChineseAnalyzerAsync(cancellationToken).ConfigureAwait(false)),
        };
        if (_options.Replicas is { } replicas)
        {
            request.Settings.NumberOfReplicas = replicas;
        }

        if (withAlias)
        {
            request.Aliases = new Dictionary<Name, Alias> { [Alias] = new Alias() };
        }

        EnsureValid(await _client.Indices.CreateAsync(request, cancellationToken).ConfigureAwait(false), "create an index generation");
        return name;
    }

    /// <summary>smartcn when configured, or (auto) when the cluster knows it; cjk otherwise.</summary>
    private async Task<string> ChineseAnalyzerAsync(CancellationToken cancellationToken)
    {
        var configured = (_options.ChineseAnalyzer ?? "auto").Trim().ToLowerInvariant();
        if (configured != "auto")
        {
            return configured;
        }

        var probe = await _client.Indices.AnalyzeAsync(new AnalyzeIndexRequest { Analyzer = "smartcn", Text = ["退货"] }, cancellationToken).ConfigureAwait(false);
        var analyzer = probe.IsValidResponse ? "smartcn" : "cjk";
        LogChineseAnalyzer(analyzer);
        return analyzer;
    }

    private static void EnsureValid(ElasticsearchResponse response, string what)
    {
        if (response.IsValidResponse && response is not BulkResponse { Errors: true })
        {
            return;
        }

        var detail = response is BulkResponse bulk && bulk.ItemsWithErrors.FirstOrDefault() is { } item
            ? $"{item.Id}: {item.Error?.Type} {item.Error?.Reason}"
            : response.ElasticsearchServerError?.Error?.Reason ?? response.ApiCallDetails.OriginalException?.InnerException?.Message ?? response.ApiCallDetails.OriginalException?.Message ?? $"HTTP {response.ApiCallDetails.HttpStatusCode}";
        throw new KnowledgeSearchException($"Elasticsearch could not {what}: {detail}");
    }

    [LoggerMessage(EventId = 8140, Level = LogLevel.Information, Message = "Created knowledge index {Generation} behind alias {Alias}")]
    private partial void LogCreated(string alias, string generation);

    [LoggerMessage(EventId = 8141, Level = LogLevel.Information, Message = "Knowledge alias {Alias} swapped to {Generation} ({Articles} articles)")]
    private partial void LogSwapped(string alias, string generation, int articles);

    [LoggerMessage(EventId = 8142, Level = LogLevel.Information, Message = "Knowledge zh-CN fields use the {Analyzer} analyser")]
    private partial void LogChineseAnalyzer(string analyzer);

    /// <summary>An article as stored in Elasticsearch (the _source).</summary>
    internal sealed class ArticleDocument
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
        [JsonPropertyName("slug")] public string Slug { get; set; } = "";
        [JsonPropertyName("locale")] public string Locale { get; set; } = "";
        [JsonPropertyName("category")] public string Category { get; set; } = "";
        [JsonPropertyName("audience")] public string Audience { get; set; } = "public";
        [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
        [JsonPropertyName("updated")] public string? Updated { get; set; }
        [JsonPropertyName("content_hash")] public string ContentHash { get; set; } = "";
        [JsonPropertyName("source")] public string? Source { get; set; }
        [JsonPropertyName("title")] public string Title { get; set; } = "";
        [JsonPropertyName("title_en")] public string? TitleEn { get; set; }
        [JsonPropertyName("tags_en")] public string? TagsEn { get; set; }
        [JsonPropertyName("body_en")] public string? BodyEn { get; set; }
        [JsonPropertyName("title_zh")] public string? TitleZh { get; set; }
        [JsonPropertyName("tags_zh")] public string? TagsZh { get; set; }
        [JsonPropertyName("body_zh")] public string? BodyZh { get; set; }
        [JsonPropertyName("markdown")] public string? Markdown { get; set; }
        [JsonPropertyName("html")] public string? Html { get; set; }

        [JsonIgnore] public string? Body => Locale == KnowledgeLocales.ChineseSimplified ? BodyZh : BodyEn;

        [JsonIgnore] public KnowledgeAudience AudienceValue => Audience == "internal" ? KnowledgeAudience.Internal : KnowledgeAudience.Public;

        [JsonIgnore]
        public DateOnly? UpdatedDate =>
            DateOnly.TryParseExact(Updated, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        public static ArticleDocument From(KnowledgeArticle article)
        {
            var zh = article.Locale == KnowledgeLocales.ChineseSimplified;
            var tags = string.Join(" , ", article.Tags);
            return new ArticleDocument
            {
                Id = LuceneFields.IdOf(article.Key),
                Slug = article.Slug,
                Locale = article.Locale,
                Category = article.Category,
                Audience = LuceneFields.AudienceValue(article.Audience),
                Tags = article.Tags.ToList(),
                Updated = article.Updated?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ContentHash = article.ContentHash,
                Source = article.SourcePath,
                Title = article.Title,
                TitleEn = zh ? null : article.Title,
                TagsEn = zh ? null : tags,
                BodyEn = zh ? null : article.PlainText,
                TitleZh = zh ? article.Title : null,
                TagsZh = zh ? tags : null,
                BodyZh = zh ? article.PlainText : null,
                Markdown = article.Markdown,
                Html = article.Html,
            };
        }

        public KnowledgeArticle ToArticle() => new()
        {
            Slug = Slug,
            Locale = Locale,
            Title = Title,
            Category = Category,
            Tags = Tags ?? [],
            Audience = AudienceValue,
            Updated = UpdatedDate,
            Markdown = Markdown ?? "",
            Html = Html ?? "",
            PlainText = Body ?? "",
            ContentHash = ContentHash,
            SourcePath = Source ?? "",
        };
    }
}

/// <summary>The search engine failed (unreachable, or it refused a request).</summary>
public sealed class KnowledgeSearchException : Exception
{
    public KnowledgeSearchException()
    {
    }

    public KnowledgeSearchException(string message)
        : base(message)
    {
    }

    public KnowledgeSearchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
