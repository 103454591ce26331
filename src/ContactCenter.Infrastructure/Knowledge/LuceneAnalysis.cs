using ContactCenter.Application.Knowledge;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>
/// Field names and analysers of the Lucene index. Text is indexed once per locale in fields of its own
/// (title_en, body_zh …): English with the English analyser (stop words, Porter stemming), Chinese with SmartCn (word
/// segmentation). Autocomplete uses a lowercase, unstemmed copy of the title.
/// </summary>
internal static class LuceneFields
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public const string Id = "id";
    public const string Slug = "slug";
    public const string Locale = "locale";
    public const string Category = "category";
    public const string Audience = "audience";
    public const string Tag = "tag";
    public const string Updated = "updated";
    public const string Hash = "hash";
    public const string Source = "source";
    public const string Title = "title";
    public const string Markdown = "markdown";
    public const string Html = "html";
    public const string Text = "text";
    public const string TitlePrefix = "title_prefix";
    public const string TitleKeyword = "title_kw";

    public static string Suffix(string locale) => locale == KnowledgeLocales.ChineseSimplified ? "zh" : "en";

    public static string TitleOf(string locale) => "title_" + Suffix(locale);

    public static string TagsOf(string locale) => "tags_" + Suffix(locale);

    public static string BodyOf(string locale) => "body_" + Suffix(locale);

    public static string IdOf(ArticleKey key) => key.ToString();

    public static string AudienceValue(KnowledgeAudience audience) => audience == KnowledgeAudience.Internal ? "internal" : "public";

    /// <summary>The analyser of every field: English by default, SmartCn for the zh fields, lowercase words for autocomplete.</summary>
    public static Analyzer CreateAnalyzer()
    {
        var english = new EnglishAnalyzer(Version);
        var chinese = new SmartChineseAnalyzer(Version);
        var prefix = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            return new TokenStreamComponents(source, new LowerCaseFilter(Version, source));
        });
        return new PerFieldAnalyzerWrapper(english, new Dictionary<string, Analyzer>
        {
            ["title_zh"] = chinese,
            ["tags_zh"] = chinese,
            ["body_zh"] = chinese,
            [TitlePrefix] = prefix,
        });
    }

    /// <summary>The terms an analyser makes of a text (at most <paramref name="max"/>).</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text, int max = 48)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < max)
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
