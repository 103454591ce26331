namespace ContactCenter.Application.Knowledge;

/// <summary>
/// The knowledge search engine (Lucene.NET embedded, Elasticsearch when scaled out). It holds the published articles
/// and a manifest of their content hashes, so that imports only touch what changed.
/// </summary>
public interface IKnowledgeSearch
{
    /// <summary>Adds or replaces articles (by locale and slug); they are searchable when the call returns.</summary>
    Task UpsertAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken);

    /// <summary>Unpublishes articles; unknown keys are ignored.</summary>
    Task RemoveAsync(IReadOnlyCollection<ArticleKey> keys, CancellationToken cancellationToken);

    /// <summary>Replaces the whole index with exactly these articles, without search going down meanwhile.</summary>
    Task ReindexAsync(IReadOnlyCollection<KnowledgeArticle> articles, CancellationToken cancellationToken);

    /// <summary>What is published now: locale and slug → content hash.</summary>
    Task<IReadOnlyDictionary<ArticleKey, string>> GetManifestAsync(CancellationToken cancellationToken);

    /// <summary>Ranked full-text search (BM25, boosted fields, typo tolerant) with highlighted snippets.</summary>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken);

    /// <summary>Titles that complete what has been typed so far.</summary>
    Task<IReadOnlyList<KnowledgeSuggestion>> SuggestAsync(KnowledgeSuggestQuery query, CancellationToken cancellationToken);

    /// <summary>Articles like a piece of text (e.g. a conversation's recent customer messages).</summary>
    Task<IReadOnlyList<KnowledgeHit>> MoreLikeThisAsync(KnowledgeMoreLikeThisQuery query, CancellationToken cancellationToken);

    /// <summary>One article, or null when it is not published.</summary>
    Task<KnowledgeArticle?> GetAsync(ArticleKey key, CancellationToken cancellationToken);

    /// <summary>The published articles of a locale (optionally one category), ordered by category then title.</summary>
    Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(KnowledgeListQuery query, CancellationToken cancellationToken);
}

/// <summary>Which articles a reader may see.</summary>
public enum AudienceFilter
{
    /// <summary>Anonymous readers: public articles only.</summary>
    PublicOnly,

    /// <summary>Staff: public and internal articles.</summary>
    All,
}

public sealed record KnowledgeQuery(string Text, string? Locale = null, string? Category = null, AudienceFilter Audience = AudienceFilter.PublicOnly, int Limit = 10);

public sealed record KnowledgeSuggestQuery(string Prefix, string? Locale = null, AudienceFilter Audience = AudienceFilter.PublicOnly, int Limit = 8);

public sealed record KnowledgeMoreLikeThisQuery(string Text, string? Locale = null, AudienceFilter Audience = AudienceFilter.PublicOnly, int Limit = 5);

public sealed record KnowledgeListQuery(string Locale, string? Category = null, AudienceFilter Audience = AudienceFilter.PublicOnly, int Limit = 1000);

/// <summary>A ranked search hit. <see cref="Snippet"/> is HTML: text is encoded and matches are wrapped in &lt;mark&gt;.</summary>
public sealed record KnowledgeHit(
    string Slug,
    string Locale,
    string Title,
    string Category,
    KnowledgeAudience Audience,
    double Score,
    string Snippet)
{
    public ArticleKey Key => new(Locale, Slug);
}

public sealed record KnowledgeSuggestion(string Slug, string Locale, string Title, string Category);

public sealed record KnowledgeArticleSummary(string Slug, string Locale, string Title, string Category, KnowledgeAudience Audience, IReadOnlyList<string> Tags, DateOnly? Updated);
