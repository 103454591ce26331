using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContactCenter.Application.Common;
using Markdig;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContactCenter.Application.Knowledge;

/// <summary>A problem with one file of the knowledge base: where (path relative to the content folder, 1-based line) and what.</summary>
public sealed record ImportError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>A file whose front matter was read: enough to know which article it is before its Markdown is rendered.</summary>
public sealed class ParsedArticleFile
{
    private readonly KnowledgeArticleParser _parser;

    internal ParsedArticleFile(KnowledgeArticleParser parser, KnowledgeArticle metadata, string body)
    {
        _parser = parser;
        Metadata = metadata;
        Body = body;
    }

    /// <summary>The article with its front matter filled in, and no HTML or text yet.</summary>
    public KnowledgeArticle Metadata { get; }

    public string Body { get; }

    public ArticleKey Key => Metadata.Key;

    /// <summary>Renders the Markdown to sanitised HTML and plain text.</summary>
    public KnowledgeArticle Render() => _parser.Render(this);
}

public sealed record ParseOutcome(ParsedArticleFile? File, IReadOnlyList<ImportError> Errors)
{
    public bool IsSuccess => File is not null;
}

/// <summary>
/// Reads an article file: YAML front matter between `---` lines (title, slug, category, tags, locale, audience, updated),
/// then Markdown. Problems are reported with the file's line number instead of thrown. Markdown is rendered with Markdig and
/// the HTML sanitised by <see cref="IHtmlCleaner"/>.
/// </summary>
public sealed partial class KnowledgeArticleParser
{
    /// <summary>Goes into every content hash: bump it when rendering changes so that every article is re-rendered once.</summary>
    public const int FormatVersion = 1;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly IHtmlCleaner _cleaner;

    public KnowledgeArticleParser(IHtmlCleaner cleaner) => _cleaner = cleaner;

    /// <summary>The content hash of a file: SHA-256 of the format version and the bytes, line endings normalised.</summary>
    public static string HashOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes($"v{FormatVersion}\n{normalised}");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>Reads and renders in one go (tests, tools).</summary>
    public (KnowledgeArticle? Article, IReadOnlyList<ImportError> Errors) ParseAndRender(string text, string relativePath)
    {
        var outcome = Parse(text, relativePath, HashOf(text ?? ""));
        return (outcome.File?.Render(), outcome.Errors);
    }

    /// <summary>Reads the front matter. <paramref name="relativePath"/> (e.g. en/billing/refunds.md) supplies defaults for slug, locale and category.</summary>
    public ParseOutcome Parse(string text, string relativePath, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.Replace('\\', '/');
        var errors = new List<ImportError>();
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            errors.Add(new ImportError(path, 1, "missing front matter: the file must start with a '---' line"));
            return new ParseOutcome(null, errors);
        }

        var close = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        if (close < 0)
        {
            errors.Add(new ImportError(path, 1, "front matter is not closed: no '---' line after it"));
            return new ParseOutcome(null, errors);
        }

        var yaml = string.Join('\n', lines, 1, close - 1);
        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
        }
        catch (YamlException ex)
        {
            // Lines inside the YAML are 1-based; the YAML starts on the file's second line.
            var line = (int)ex.Start.Line + 1;
            errors.Add(new ImportError(path, Math.Max(line, 2), "invalid YAML front matter: " + Describe(ex)));
            return new ParseOutcome(null, errors);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet fails this way on some malformed flow collections; the last token it read marks the spot.
            errors.Add(new ImportError(path, LastGoodLine(yaml) + 1, "invalid YAML front matter: " + ex.Message));
            return new ParseOutcome(null, errors);
        }

        if (root is null)
        {
            errors.Add(new ImportError(path, 2, "front matter must be a mapping of keys (title, slug, category, tags, locale, audience, updated)"));
            return new ParseOutcome(null, errors);
        }

        var fields = new Dictionary<string, (YamlNode Node, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } name })
            {
                fields[name.Trim()] = (valueNode, (int)keyNode.Start.Line + 1);
            }
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var title = Scalar(fields, "title", errors, path);
        if (string.IsNullOrWhiteSpace(title) && !errors.Exists(e => e.Message.Contains("'title'", StringComparison.Ordinal)))
        {
            errors.Add(new ImportError(path, LineOf(fields, "title", 2), "missing 'title'"));
        }

        var slug = Scalar(fields, "slug", errors, path);
        if (slug is null)
        {
            slug = Slugify(Path.GetFileNameWithoutExtension(path));
        }
        else if (!SlugPattern().IsMatch(slug))
        {
            errors.Add(new ImportError(path, LineOf(fields, "slug", 2), $"invalid 'slug' '{slug}': use lowercase letters, digits and hyphens"));
        }

        var localeText = Scalar(fields, "locale", errors, path);
        string? locale;
        if (localeText is null)
        {
            locale = segments.Length > 1 ? KnowledgeLocales.Normalize(segments[0]) : null;
            if (locale is null)
            {
                errors.Add(new ImportError(path, 2, "missing 'locale' (en or zh-CN)"));
            }
        }
        else
        {
            locale = KnowledgeLocales.Normalize(localeText);
            if (locale is null)
            {
                errors.Add(new ImportError(path, LineOf(fields, "locale", 2), $"unsupported 'locale' '{localeText}': use one of {string.Join(", ", KnowledgeLocales.All)}"));
            }
        }

        var category = Scalar(fields, "category", errors, path);
        if (category is null)
        {
            category = segments.Length > 2 ? Slugify(segments[^2]) : "general";
        }
        else if (!SlugPattern().IsMatch(category))
        {
            errors.Add(new ImportError(path, LineOf(fields, "category", 2), $"invalid 'category' '{category}': use lowercase letters, digits and hyphens"));
        }

        var tags = Tags(fields, errors, path);

        var audience = KnowledgeAudience.Public;
        var audienceText = Scalar(fields, "audience", errors, path);
        if (audienceText is not null && !Enum.TryParse(audienceText, ignoreCase: true, out audience))
        {
            errors.Add(new ImportError(path, LineOf(fields, "audience", 2), $"invalid 'audience' '{audienceText}': use public or internal"));
        }

        DateOnly? updated = null;
        var updatedText = Scalar(fields, "updated", errors, path);
        if (updatedText is not null)
        {
            if (DateOnly.TryParseExact(updatedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                updated = date;
            }
            else if (DateTimeOffset.TryParse(updatedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
            {
                updated = DateOnly.FromDateTime(stamp.UtcDateTime);
            }
            else
            {
                errors.Add(new ImportError(path, LineOf(fields, "updated", 2), $"invalid 'updated' '{updatedText}': use a date like 2025-01-31"));
            }
        }

        if (errors.Count > 0)
        {
            return new ParseOutcome(null, errors);
        }

        var body = string.Join('\n', lines, close + 1, lines.Length - close - 1);
        var metadata = new KnowledgeArticle
        {
            Slug = slug,
            Locale = locale!,
            Title = title!.Trim(),
            Category = category,
            Tags = tags,
            Audience = audience,
            Updated = updated,
            Markdown = body,
            Html = "",
            PlainText = "",
            ContentHash = contentHash,
            SourcePath = path,
        };
        return new ParseOutcome(new ParsedArticleFile(this, metadata, body), errors);
    }

    internal KnowledgeArticle Render(ParsedArticleFile file)
    {
        var document = Markdig.Markdown.Parse(file.Body, Pipeline);
        var html = _cleaner.Clean(document.ToHtml(Pipeline));
        var plain = Markdig.Markdown.ToPlainText(file.Body, Pipeline);
        return file.Metadata with { Html = html.Trim(), PlainText = Whitespace().Replace(plain, " ").Trim() };
    }

    /// <summary>The key a file would most likely have (locale folder, file name): keeps a broken file's last good version published.</summary>
    public static ArticleKey? GuessKey(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var locale = segments.Length > 1 ? KnowledgeLocales.Normalize(segments[0]) : null;
        return locale is null ? null : new ArticleKey(locale, Slugify(Path.GetFileNameWithoutExtension(segments[^1])));
    }

    public static string Slugify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slug = NonSlug().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "article" : slug;
    }

    private static string? Scalar(Dictionary<string, (YamlNode Node, int Line)> fields, string name, List<ImportError> errors, string path)
    {
        if (!fields.TryGetValue(name, out var field))
        {
            return null;
        }

        if (field.Node is YamlScalarNode scalar)
        {
            return string.IsNullOrWhiteSpace(scalar.Value) ? null : scalar.Value.Trim();
        }

        errors.Add(new ImportError(path, field.Line, $"'{name}' must be a single value"));
        return null;
    }

    private static List<string> Tags(Dictionary<string, (YamlNode Node, int Line)> fields, List<ImportError> errors, string path)
    {
        if (!fields.TryGetValue("tags", out var field))
        {
            return [];
        }

        switch (field.Node)
        {
            case YamlSequenceNode sequence:
                var tags = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
                    {
                        tags.Add(value.Trim());
                    }
                    else if (item is not YamlScalarNode)
                    {
                        errors.Add(new ImportError(path, (int)item.Start.Line + 1, "'tags' must be a list of words"));
                    }
                }

                return tags.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            case YamlScalarNode scalar:
                return (scalar.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            default:
                errors.Add(new ImportError(path, field.Line, "'tags' must be a list of words"));
                return [];
        }
    }

    private static int LineOf(Dictionary<string, (YamlNode Node, int Line)> fields, string name, int fallback) =>
        fields.TryGetValue(name, out var field) ? field.Line : fallback;

    private static int LastGoodLine(string yaml)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var line = 1;
        try
        {
            while (scanner.MoveNext())
            {
                line = (int)scanner.Current!.End.Line;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Stopped where the YAML breaks.
        }

        return line;
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^\\p{L}\\p{Nd}]+")]
    private static partial Regex NonSlug();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
