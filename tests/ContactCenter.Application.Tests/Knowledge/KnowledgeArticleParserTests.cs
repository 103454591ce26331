using ContactCenter.Application.Common;
using ContactCenter.Application.Knowledge;

namespace ContactCenter.Application.Tests.Knowledge;

public sealed class KnowledgeArticleParserTests
{
    private readonly KnowledgeArticleParser _parser = new(new HtmlCleaner());

    private const string Valid = """
        ---
        title: Return an item
        slug: return-an-item
        category: returns
        tags: [returns, refund]
        locale: en
        audience: internal
        updated: 2025-03-05
        ---
        # Returns

        You can **return** most items within 30 days.

        | Days | Refund |
        |------|--------|
        | 30   | full   |
        """;

    [Fact]
    public void ParseAndRender_ValidFile_ReadsFrontMatterAndRendersMarkdown()
    {
        var (article, errors) = _parser.ParseAndRender(Valid, "en/returns/return-an-item.md");

        Assert.Empty(errors);
        Assert.NotNull(article);
        Assert.Equal(("return-an-item", "en", "Return an item", "returns"), (article.Slug, article.Locale, article.Title, article.Category));
        Assert.Equal(["returns", "refund"], article.Tags);
        Assert.Equal(KnowledgeAudience.Internal, article.Audience);
        Assert.Equal(new DateOnly(2025, 3, 5), article.Updated);
        Assert.Contains("<strong>return</strong>", article.Html, StringComparison.Ordinal);
        Assert.Contains("<table>", article.Html, StringComparison.Ordinal);
        Assert.Contains("You can return most items within 30 days.", article.PlainText, StringComparison.Ordinal);
        Assert.Equal(KnowledgeArticleParser.HashOf(Valid), article.ContentHash);
        Assert.Equal("en/returns/return-an-item.md", article.SourcePath);
    }

    [Fact]
    public void ParseAndRender_ScriptsAndHandlersInMarkdown_AreSanitised()
    {
        var text = """
            ---
            title: Unsafe
            locale: en
            ---
            Hello <script>alert('x')</script> <a href="javascript:alert(1)" onclick="steal()">link</a> <img src=x onerror="boom()">
            """;

        var (article, errors) = _parser.ParseAndRender(text, "en/general/unsafe.md");

        Assert.Empty(errors);
        Assert.DoesNotContain("<script", article!.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", article.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", article.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", article.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_NoSlugOrCategory_TakesThemFromPath()
    {
        var text = """
            ---
            title: 如何退货
            locale: zh-cn
            tags: 退货, 退款
            ---
            正文
            """;

        var outcome = _parser.Parse(text, "zh-CN/returns/Return Item.md", "h");

        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors));
        Assert.Equal(("return-item", "zh-CN", "returns"), (outcome.File!.Key.Slug, outcome.File.Key.Locale, outcome.File.Metadata.Category));
        Assert.Equal(["退货", "退款"], outcome.File.Metadata.Tags);
    }

    [Fact]
    public void Parse_NoFrontMatter_ReportsLineOne()
    {
        var outcome = _parser.Parse("# Just markdown\n", "en/a/b.md", "h");

        Assert.False(outcome.IsSuccess);
        Assert.Equal(new ImportError("en/a/b.md", 1, "missing front matter: the file must start with a '---' line"), Assert.Single(outcome.Errors));
    }

    [Fact]
    public void Parse_UnclosedFrontMatter_ReportsIt()
    {
        var outcome = _parser.Parse("---\ntitle: x\n\nbody", "en/a/b.md", "h");

        Assert.Contains("not closed", Assert.Single(outcome.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsTheFileLine()
    {
        var text = "---\ntitle: Fine\nslug: fine\ntags: [a, b\nlocale: en\n---\nbody";

        var outcome = _parser.Parse(text, "en/a/fine.md", "h");

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("en/a/fine.md", error.File);
        Assert.InRange(error.Line, 4, 6);
        Assert.StartsWith("invalid YAML front matter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadValues_ReportsEachWithItsLine()
    {
        var text = "---\ntitle: Fine\nslug: Not A Slug\nlocale: fr\naudience: everyone\nupdated: yesterday\n---\nbody";

        var outcome = _parser.Parse(text, "en/a/fine.md", "h");

        Assert.Equal([3, 4, 5, 6], outcome.Errors.Select(e => e.Line));
        Assert.Contains(outcome.Errors, e => e.Message.Contains("'slug'", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Message.Contains("unsupported 'locale' 'fr'", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Message.Contains("'audience'", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Message.Contains("'updated'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingTitle_ReportsIt()
    {
        var outcome = _parser.Parse("---\nlocale: en\n---\nbody", "en/a/b.md", "h");

        Assert.Equal("missing 'title'", Assert.Single(outcome.Errors).Message);
    }

    [Fact]
    public void HashOf_SameTextWithWindowsLineEndings_IsEqual()
    {
        Assert.Equal(KnowledgeArticleParser.HashOf("a\nb\n"), KnowledgeArticleParser.HashOf("a\r\nb\r\n"));
        Assert.NotEqual(KnowledgeArticleParser.HashOf("a\nb\n"), KnowledgeArticleParser.HashOf("a\nc\n"));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN-us", "en")]
    [InlineData("zh-cn", "zh-CN")]
    [InlineData("zh_CN", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("fr", null)]
    [InlineData("", null)]
    public void Normalize_Locale_ReturnsCanonicalOrNull(string input, string? expected) =>
        Assert.Equal(expected, KnowledgeLocales.Normalize(input));
}
