using ContactCenter.Domain.Common;

namespace ContactCenter.Application.Knowledge;

/// <summary>
/// Knowledge search as the API, the help center, the agent console and the widget use it: input checked,
/// limits clamped, and internal articles only for staff.
/// </summary>
public sealed class KnowledgeQueries
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;
    public const int MaxQueryLength = 500;
    private readonly IKnowledgeSearch _search;

    public KnowledgeQueries(IKnowledgeSearch search) => _search = search;

    public static int ClampLimit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    public async Task<Result<IReadOnlyList<KnowledgeHit>>> SearchAsync(string? text, int? limit, string? locale, string? category, bool staff, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Error.Validation("kb.query_required", "Say what to search for: q must not be empty.");
        }

        var canonical = NormalizeLocale(locale, out var error);
        if (error is not null)
        {
            return error;
        }

        var query = new KnowledgeQuery(Truncate(text.Trim()), canonical, string.IsNullOrWhiteSpace(category) ? null : category.Trim(),
            staff ? AudienceFilter.All : AudienceFilter.PublicOnly, ClampLimit(limit));
        return Result<IReadOnlyList<KnowledgeHit>>.Success(await _search.SearchAsync(query, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Result<IReadOnlyList<KnowledgeSuggestion>>> SuggestAsync(string? prefix, int? limit, string? locale, bool staff, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return Result<IReadOnlyList<KnowledgeSuggestion>>.Success([]);
        }

        var canonical = NormalizeLocale(locale, out var error);
        if (error is not null)
        {
            return error;
        }

        var query = new KnowledgeSuggestQuery(Truncate(prefix.TrimStart()), canonical, staff ? AudienceFilter.All : AudienceFilter.PublicOnly, Math.Clamp(limit ?? 8, 1, 20));
        return Result<IReadOnlyList<KnowledgeSuggestion>>.Success(await _search.SuggestAsync(query, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Articles for a conversation: more-like-this over the customer's recent messages.</summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SuggestForTextAsync(string text, string? locale, bool staff, int limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var query = new KnowledgeMoreLikeThisQuery(text.Length > 4000 ? text[^4000..] : text, KnowledgeLocales.Normalize(locale),
            staff ? AudienceFilter.All : AudienceFilter.PublicOnly, Math.Clamp(limit, 1, MaxLimit));
        return await _search.MoreLikeThisAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An article a reader may see (internal ones for staff only), or null.</summary>
    public async Task<KnowledgeArticle?> GetAsync(string locale, string slug, bool staff, CancellationToken cancellationToken)
    {
        var canonical = KnowledgeLocales.Normalize(locale);
        if (canonical is null || string.IsNullOrWhiteSpace(slug))
        {
            return null;
        }

        var article = await _search.GetAsync(new ArticleKey(canonical, slug.Trim().ToLowerInvariant()), cancellationToken).ConfigureAwait(false);
        return article is null || (article.Audience == KnowledgeAudience.Internal && !staff) ? null : article;
    }

    public Task<IReadOnlyList<KnowledgeArticleSummary>> ListAsync(string locale, string? category, bool staff, CancellationToken cancellationToken) =>
        _search.ListAsync(new KnowledgeListQuery(KnowledgeLocales.Normalize(locale) ?? KnowledgeLocales.English, category, staff ? AudienceFilter.All : AudienceFilter.PublicOnly), cancellationToken);

    private static string? NormalizeLocale(string? locale, out Error? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var canonical = KnowledgeLocales.Normalize(locale);
        if (canonical is null)
        {
            error = Error.Validation("kb.locale", $"Unknown locale '{locale}': use one of {string.Join(", ", KnowledgeLocales.All)}.");
        }

        return canonical;
    }

    private static string Truncate(string text) => text.Length > MaxQueryLength ? text[..MaxQueryLength] : text;
}
