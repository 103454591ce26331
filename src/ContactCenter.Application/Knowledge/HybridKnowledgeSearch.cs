using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Knowledge;

/// <summary>Turns text into unit-length embedding vectors (a local model: no network).</summary>
public interface ITextEmbedder
{
    /// <summary>The languages the model understands (knowledge locales); other articles and queries stay BM25 only.</summary>
    IReadOnlyCollection<string> Locales { get; }

    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

public enum KnowledgeRanking
{
    /// <summary>The engine's full-text ranking only.</summary>
    Bm25,

    /// <summary>Embedding similarity only (where the model speaks the language).</summary>
    Semantic,

    /// <summary>Both, fused by reciprocal rank (the default: it measured best on the FAQ relevance set, see bench/README.md).</summary>
    Hybrid,
}

/// <summary>`KnowledgeBase:Ranking` settings.</summary>
public sealed class KnowledgeRankingOptions
{
    public const string Section = "KnowledgeBase:Ranking";

    public KnowledgeRanking Mode { get; set; } = KnowledgeRanking.Hybrid;

    /// <summary>The k of reciprocal-rank fusion: 1/(k + rank). 60 is the usual choice; larger flattens the ranks.</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>How many hits each ranking contributes before fusion.</summary>
    public int Candidates { get; set; } = 20;

    /// <summary>Weight of the semantic ranking in the fusion (BM25 has 1).</summary>
    public double SemanticWeight { get; set; } = 1.0;

    /// <summary>A semantic-only hit needs at least this cosine similarity (keeps nonsense queries from returning everything).</summary>
    public double MinSimilarity { get; set; } = 0.25;
}

/// <summary>
/// Semantic and hybrid ranking over any engine: the engine keeps BM25, filters, snippets and suggestions; this decorator
/// keeps an embedding per article (title and text, computed locally) and fuses the two rankings with reciprocal-rank fusion.
/// Embeddings are rebuilt in the background on start from what the engine has published; until they are ready, and for
/// locales the model does not speak (the bundled MiniLM is English), search is BM25 alone.
/// </summary>
public sealed partial class HybridKnowledgeSearch : IKnowledgeSearch
{
    private const int EmbedBatch = 32;
    private const int EmbeddedChars = 1200;

    private readonly IKnowledgeSearch _inner;
    private readonly ITextEmbedder _embedder;
    private readonly KnowledgeRankingOptions _options;
    private readonly ILogger<HybridKnowledgeSearch> _logger;
    private readonly ConcurrentDictionary<ArticleKey, Entry> _vectors = new();
    private readonly Lazy<Task> _warmUp;

    public HybridKnowledgeSearch(IKnowledgeSearch inner, ITextEmbedder embedder, IOptions<KnowledgeRankingOptions> options, ILogger<HybridKnowledgeSearch> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _embedder = embedder;
        _options = options.Value;
        _logger = logger;
        _warmUp = new Lazy<Task>(() => Task.Run(WarmUpAsync));
    }

    public KnowledgeRanking Mode => _options.Mode;

    /// <summary>Completes when the embeddings of everything published at start are built.</summary>
    public Task Ready => _warmUp.Value;

    public async Task UpsertAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        await _inner.UpsertAsync(articles, cancellationToken).ConfigureAwait(false);
        Index(articles, cancellationToken);
    }

    public async Task RemoveAsync(IReadOnlyCollection<ArticleKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _inner.RemoveAsync(keys, cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            _vectors.TryRemove(key, out _);
        }
    }

    public async Task ReindexAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        await _inner.ReindexAsync(articles, cancellationToken).ConfigureAwait(false);
        var keep = articles.Select(a => a.Key).ToHashSet();
        foreach (var stale in _vectors.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            _vectors.TryRemove(stale, out _);
        }

        Index(articles, cancellationToken);
    }

    public Task<IReadOnlyDictionary<ArticleKey, string>> GetManifestAsync(CancellationToken cancellationToken) => _inner.GetManifestAsync(cancellationToken);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = _warmUp.Value;
        if (_options.Mode == KnowledgeRanking.Bm25 || !SpeaksQuery(query) || _vectors.IsEmpty)
        {
            return await _inner.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        }

        var semantic = Nearest(query, cancellationToken);
        if (_options.Mode == KnowledgeRanking.Semantic)
        {
            return semantic.Where(s => s.Similarity >= _options.MinSimilarity).Take(query.Limit)
                .Select(s => s.Entry.Hit(s.Similarity)).ToList();
        }

        var lexical = await _inner.SearchAsync(query with { Limit = Math.Max(query.Limit, _options.Candidates) }, cancellationToken).ConfigureAwait(false);
        return Fuse(lexical, semantic, query.Limit);
    }

    public Task<IReadOnlyList<KnowledgeSuggestion>> SuggestAsync(KnowledgeSuggestQuery query, CancellationToken cancellationToken) => _inner.SuggestAsync(query, cancellationToken);

    public Task<IReadOnlyList<KnowledgeHit>> MoreLikeThisAsync(KnowledgeMoreLikeThisQuery query, CancellationToken cancellationToken) => _inner.MoreLikeThisAsync(query, cancellationToken);

    public Task<KnowledgeArticle?> GetAsync(ArticleKey key, CancellationToken cancellationToken) => _inner.GetAsync(key, cancellationToken);

    public Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(KnowledgeListQuery query, CancellationToken cancellationToken) => _inner.ListAsync(query, cancellationToken);

    /// <summary>Reciprocal-rank fusion: each ranking adds weight/(k + rank); lexical hits keep their highlighted snippets.</summary>
    private List<KnowledgeHit> Fuse(IReadOnlyList<KnowledgeHit> lexical, IReadOnlyList<(Entry Entry, double Similarity)> semantic, int limit)
    {
        var scores = new Dictionary<ArticleKey, double>();
        var hits = new Dictionary<ArticleKey, KnowledgeHit>();
        for (var rank = 0; rank < lexical.Count; rank++)
        {
            var hit = lexical[rank];
            scores[hit.Key] = 1.0 / (_options.RrfK + rank + 1);
            hits[hit.Key] = hit;
        }

        for (var rank = 0; rank < semantic.Count; rank++)
        {
            var (entry, similarity) = semantic[rank];
            if (!hits.ContainsKey(entry.Key) && similarity < _options.MinSimilarity)
            {
                continue;
            }

            scores[entry.Key] = scores.GetValueOrDefault(entry.Key) + (_options.SemanticWeight / (_options.RrfK + rank + 1));
            hits.TryAdd(entry.Key, entry.Hit(similarity));
        }

        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key.Slug, StringComparer.Ordinal).Take(limit)
            .Select(s => hits[s.Key] with { Score = Math.Round(s.Value * 1000, 4) }).ToList();
    }

    private List<(Entry Entry, double Similarity)> Nearest(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var vector = _embedder.Embed([query.Text], cancellationToken)[0];
        var candidates = _vectors.Values.Where(e =>
            (query.Locale is null || e.Locale == query.Locale)
            && (query.Category is null || string.Equals(e.Category, query.Category, StringComparison.OrdinalIgnoreCase))
            && (query.Audience == AudienceFilter.All || e.Audience == KnowledgeAudience.Public));
        var top = new PriorityQueue<(Entry, double), double>();
        foreach (var entry in candidates)
        {
            var similarity = Dot(vector, entry.Vector);
            top.Enqueue((entry, similarity), similarity);
            if (top.Count > _options.Candidates)
            {
                top.Dequeue();
            }
        }

        var result = new List<(Entry Entry, double Similarity)>(top.Count);
        while (top.TryDequeue(out var item, out _))
        {
            result.Add(item);
        }

        result.Reverse();
        return result;
    }

    private bool SpeaksQuery(KnowledgeQuery query)
    {
        if (query.Locale is not null)
        {
            return _embedder.Locales.Contains(query.Locale);
        }

        // No locale asked for: only a query in Latin script is worth embedding with an English model.
        var letters = query.Text.Where(char.IsLetter).ToList();
        return letters.Count > 0 && letters.Count(c => c < '\u0250') * 10 >= letters.Count * 9;
    }

    private void Index(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken)
    {
        if (_options.Mode == KnowledgeRanking.Bm25)
        {
            return;
        }

        var spoken = articles.Where(a => _embedder.Locales.Contains(a.Locale)).ToList();
        foreach (var batch in spoken.Chunk(EmbedBatch))
        {
            var vectors = _embedder.Embed(batch.Select(EmbeddedText).ToList(), cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                _vectors[batch[i].Key] = Entry.From(batch[i], vectors[i]);
            }
        }
    }

    private static string EmbeddedText(KnowledgeArticle article)
    {
        var text = $"{article.Title}. {string.Join(", ", article.Tags)}. {article.PlainText}";
        return text.Length > EmbeddedChars ? text[..EmbeddedChars] : text;
    }

    /// <summary>Embeds what the engine already has (e.g. an index on disk from a previous run) that the import did not touch.</summary>
    private async Task WarmUpAsync()
    {
        if (_options.Mode == KnowledgeRanking.Bm25)
        {
            return;
        }

        try
        {
            var manifest = await _inner.GetManifestAsync(CancellationToken.None).ConfigureAwait(false);
            var missing = manifest.Keys.Where(k => _embedder.Locales.Contains(k.Locale) && !_vectors.ContainsKey(k)).ToList();
            foreach (var batch in missing.Chunk(EmbedBatch))
            {
                var articles = new List<KnowledgeArticle>(batch.Length);
                foreach (var key in batch)
                {
                    if (await _inner.GetAsync(key, CancellationToken.None).ConfigureAwait(false) is { } article)
                    {
                        articles.Add(article);
                    }
                }

                Index(articles.Where(a => !_vectors.ContainsKey(a.Key)).ToList(), CancellationToken.None);
            }

            LogWarm(_logger, _vectors.Count);
        }
#pragma warning disable CA1031 // semantic ranking is an improvement: without it, search stays BM25
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogWarmFailed(_logger, ex);
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Semantic ranking ready: {Count} article embeddings")]
    private static partial void LogWarm(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building article embeddings failed; search stays BM25 only")]
    private static partial void LogWarmFailed(ILogger logger, Exception ex);

    private sealed record Entry(ArticleKey Key, string Locale, string Title, string Category, KnowledgeAudience Audience, string Snippet, float[] Vector)
    {
        public static Entry From(KnowledgeArticle article, float[] vector)
        {
            var text = article.PlainText.Length > 200 ? article.PlainText[..200].TrimEnd() + "…" : article.PlainText;
            return new(article.Key, article.Locale, article.Title, article.Category, article.Audience, WebUtility.HtmlEncode(text), vector);
        }

        public KnowledgeHit Hit(double similarity) => new(Key.Slug, Locale, Title, Category, Audience, Math.Round(similarity, 4), Snippet);
    }
}
