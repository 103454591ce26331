namespace ContactCenter.Infrastructure.Knowledge;

internal static class Snippets
{
    public const int Length = 180;

    /// <summary>Chinese is denser: shorter fragments say as much.</summary>
    public const int ChineseLength = 80;

    private static readonly char[] Leading = ['.', ',', ';', ':', '!', '?', ')', ']', '}', '，', '。', '；', '：', '！', '？', '、', '）', '…', '-', '–', ' ', '\n', '\t'];

    public static int LengthFor(string locale) => locale == ContactCenter.Application.Knowledge.KnowledgeLocales.ChineseSimplified ? ChineseLength : Length;

    /// <summary>A fragment that starts mid-sentence loses the punctuation it starts with.</summary>
    public static string Tidy(string fragment) => (fragment ?? "").TrimStart(Leading).TrimEnd();

    /// <summary>The start of an article's text as a snippet (HTML-encoded), cut at a word boundary.</summary>
    public static string Lead(string text, int length = Length)
    {
        text ??= "";
        if (text.Length <= length)
        {
            return Encode(text);
        }

        var cut = text.LastIndexOf(' ', length);
        var lead = text[..(cut > length / 2 ? cut : length)];
        return Encode(lead) + " …";
    }

    /// <summary>Encodes only what HTML needs (&amp; &lt; &gt; &quot; &#39;): Chinese text stays readable.</summary>
    public static string Encode(string text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);
}

/// <summary>The highlighter's encoder: <see cref="Snippets.Encode"/> (Lucene's SimpleHTMLEncoder turns every non-ASCII letter into an entity).</summary>
internal sealed class MinimalHtmlEncoder : Lucene.Net.Search.Highlight.IEncoder
{
    public string EncodeText(string originalText) => Snippets.Encode(originalText);
}
