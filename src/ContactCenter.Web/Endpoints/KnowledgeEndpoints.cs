using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ContactCenter.Application.Knowledge;
using ContactCenter.Domain.Common;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Web.Endpoints;

/// <summary>A search hit as the API returns it. <c>snippet</c> is HTML: encoded text with matches in &lt;mark&gt;.</summary>
public sealed record KnowledgeSearchResult(string Slug, string Title, double Score, string Snippet, string Locale, string Category, string Audience, string Url);

public sealed record KnowledgeSuggestionResult(string Slug, string Title, string Locale, string Category, string Url);

public sealed record KnowledgeArticleResult(string Slug, string Locale, string Title, string Category, IReadOnlyList<string> Tags, string Audience, DateOnly? Updated, string Html, string Url);

public sealed record KnowledgeRelatedRequest(string Text, string? Locale, int? Limit);

public static class KnowledgeEndpoints
{
    /// <summary>
    /// The knowledge base under /api/v1/kb. Anonymous callers (the help center, the widget) see public articles;
    /// signed-in staff (cookie or API token) also internal ones.
    /// </summary>
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var kb = app.MapGroup("/api/v1/kb").WithTags("Knowledge base");

        kb.MapGet("/search", async (string? q, int? limit, string? locale, string? category, ClaimsPrincipal user, IAuthorizationService auth,
            KnowledgeQueries queries, CancellationToken ct) =>
        {
            var result = await queries.SearchAsync(q, limit, locale, category, await IsStaffAsync(user, auth), ct);
            return result.IsSuccess
                ? Results.Ok(result.Value.Select(h => new KnowledgeSearchResult(h.Slug, h.Title, h.Score, h.Snippet, h.Locale, h.Category,
                    AudienceName(h.Audience), ArticleUrl(h.Locale, h.Category, h.Slug))).ToList())
                : ProblemResults.From(result.Error!);
        })
        .AllowAnonymous()
        .RequireRateLimiting(new PerClientLimit("RateLimits:KnowledgeSearchPerMinute", 120))
        .WithName("SearchKnowledgeBase")
        .WithSummary("Search published articles")
        .WithDescription("Ranked (BM25, title > tags > body, typo tolerant) published articles with highlighted snippets. " +
            "q is required; limit is clamped to 1–50 (default 10); locale is en or zh-CN (default: both); category filters by category. " +
            "Anonymous callers get public articles only; signed-in staff also internal ones.")
        .Produces<List<KnowledgeSearchResult>>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

        kb.MapGet("/suggest", async (string? q, int? limit, string? locale, ClaimsPrincipal user, IAuthorizationService auth, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var result = await queries.SuggestAsync(q, limit, locale, await IsStaffAsync(user, auth), ct);
            return result.IsSuccess
                ? Results.Ok(result.Value.Select(s => new KnowledgeSuggestionResult(s.Slug, s.Title, s.Locale, s.Category, ArticleUrl(s.Locale, s.Category, s.Slug))).ToList())
                : ProblemResults.From(result.Error!);
        })
        .AllowAnonymous()
        .RequireRateLimiting(new PerClientLimit("RateLimits:KnowledgeSearchPerMinute", 120))
        .WithName("SuggestKnowledgeArticles")
        .WithSummary("Autocomplete article titles")
        .WithDescription("Titles completing what has been typed (q); limit 1–20 (default 8).")
        .Produces<List<KnowledgeSuggestionResult>>()
        .ProducesProblem(StatusCodes.Status400BadRequest);

        kb.MapGet("/articles/{locale}/{slug}", async (string locale, string slug, ClaimsPrincipal user, IAuthorizationService auth, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var article = await queries.GetAsync(locale, slug, await IsStaffAsync(user, auth), ct);
            return article is null
                ? ProblemResults.From(Error.NotFound("The article"))
                : Results.Ok(new KnowledgeArticleResult(article.Slug, article.Locale, article.Title, article.Category, article.Tags, AudienceName(article.Audience),
                    article.Updated, article.Html, ArticleUrl(article.Locale, article.Category, article.Slug)));
        })
        .AllowAnonymous()
        .WithName("GetKnowledgeArticle")
        .WithSummary("One published article with its sanitised HTML")
        .WithDescription("Public articles for everyone; internal ones for signed-in staff (404 otherwise).")
        .Produces<KnowledgeArticleResult>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        kb.MapPost("/related", async (KnowledgeRelatedRequest request, KnowledgeQueries queries, CancellationToken ct) =>
        {
            var hits = await queries.SuggestForTextAsync(request.Text ?? "", request.Locale, staff: true, request.Limit ?? 5, ct);
            return Results.Ok(hits.Select(h => new KnowledgeSearchResult(h.Slug, h.Title, h.Score, h.Snippet, h.Locale, h.Category,
                AudienceName(h.Audience), ArticleUrl(h.Locale, h.Category, h.Slug))).ToList());
        })
        .RequireAuthorization(Policies.Staff)
        .WithName("RelatedKnowledgeArticles")
        .WithSummary("Articles like a conversation's recent customer messages (more-like-this)")
        .Produces<List<KnowledgeSearchResult>>();

        return app;
    }

    /// <summary>Where the help center shows an article.</summary>
    public static string ArticleUrl(string locale, string category, string slug) =>
        $"/help/{Uri.EscapeDataString(locale)}/{Uri.EscapeDataString(category)}/{Uri.EscapeDataString(slug)}";

    internal static async Task<bool> IsStaffAsync(ClaimsPrincipal user, IAuthorizationService auth) =>
        user.Identity?.IsAuthenticated == true && (await auth.AuthorizeAsync(user, Policies.Staff)).Succeeded;

    private static string AudienceName(KnowledgeAudience audience) => audience == KnowledgeAudience.Internal ? "internal" : "public";

    /// <summary>A fixed window per client address, its size read from configuration.</summary>
    private sealed class PerClientLimit(string key, int fallback) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var permits = httpContext.RequestServices.GetRequiredService<IConfiguration>().GetValue(key, fallback);
            return RateLimitPartition.GetFixedWindowLimiter(
                (httpContext.Connection.RemoteIpAddress?.ToString() ?? "?") + "|" + permits.ToString(CultureInfo.InvariantCulture),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1) });
        }
    }
}
