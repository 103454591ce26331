namespace ContactCenter.Application.Knowledge;

/// <summary>Who may read an article: everyone (help center, widget) or staff only (agent how-tos).</summary>
public enum KnowledgeAudience
{
    Public,
    Internal,
}

/// <summary>An article's identity: the same slug exists once per locale.</summary>
public readonly record struct ArticleKey(string Locale, string Slug)
{
    public override string ToString() => $"{Locale}/{Slug}";
}

/// <summary>The locales the knowledge base is written and analysed in.</summary>
public static class KnowledgeLocales
{
    public const string English = "en";
    public const string ChineseSimplified = "zh-CN";

    public static IReadOnlyList<string> All { get; } = [English, ChineseSimplified];

    /// <summary>The canonical spelling of a supported locale (case-insensitive, `zh-cn`, `zh_CN` and `zh` accepted), or null.</summary>
    public static string? Normalize(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var value = locale.Trim().Replace('_', '-');
        if (value.Equals("en", StringComparison.OrdinalIgnoreCase) || value.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
        {
            return English;
        }

        if (value.Equals("zh", StringComparison.OrdinalIgnoreCase) || value.Equals("zh-CN", StringComparison.OrdinalIgnoreCase)
            || value.Equals("zh-Hans", StringComparison.OrdinalIgnoreCase) || value.Equals("zh-Hans-CN", StringComparison.OrdinalIgnoreCase))
        {
            return ChineseSimplified;
        }

        return null;
    }
}

/// <summary>
/// A published article: its front matter, its Markdown, the sanitised HTML rendered from it, and the plain text that is indexed.
/// <see cref="ContentHash"/> is the hash of the source file, which makes imports idempotent.
/// </summary>
public sealed record KnowledgeArticle
{
    public required string Slug { get; init; }
    public required string Locale { get; init; }
    public required string Title { get; init; }
    public required string Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public KnowledgeAudience Audience { get; init; } = KnowledgeAudience.Public;
    public DateOnly? Updated { get; init; }
    public string Markdown { get; init; } = "";
    public required string Html { get; init; }
    public required string PlainText { get; init; }
    public required string ContentHash { get; init; }

    /// <summary>Where it came from, relative to the content folder (for reports).</summary>
    public string SourcePath { get; init; } = "";

    public ArticleKey Key => new(Locale, Slug);
}
