using ContactCenter.Application.Knowledge;

namespace ContactCenter.Application.Assist;

/// <summary>The best article for a customer's question and how sure we are that it answers it (0–1).</summary>
/// <param name="Similarity">The question's cosine similarity to the chosen article (or the term coverage without a model).</param>
/// <param name="Margin">How much closer the chosen article is than the runner-up (0 when there is none).</param>
public sealed record KnowledgeAnswer(KnowledgeHit Article, double Confidence, string Method, double Similarity = 0, double Margin = 0);

/// <summary>
/// Finds the article that answers a question and a confidence the assistant compares with its threshold. The ranking is
/// the product's search (hybrid by default); the confidence is the cosine similarity between the question and the top
/// articles' title and text with the local embedding model where it speaks the language (English), and the share of the
/// question's terms (words; for Chinese, character bigrams) found in the article otherwise. The threshold is chosen on
/// the FAQ corpus by the bench scenario "assist".
/// </summary>
public sealed class KnowledgeAnswerer(IKnowledgeSearch search, ITextEmbedder embedder)
{
    private const int Candidates = 3;
    private const int EmbeddedChars = 1200;

    /// <summary>Confidence = similarity + MarginWeight × (similarity − runner-up's similarity).</summary>
    public const double MarginWeight = 2.0;

    public async Task<KnowledgeAnswer?> AnswerAsync(string question, string? locale, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            return null;
        }

        var hits = await search.SearchAsync(new KnowledgeQuery(question, locale, Audience: AudienceFilter.PublicOnly, Limit: Candidates), cancellationToken);
        if (hits.Count == 0)
        {
            return null;
        }

        var articles = new List<(KnowledgeHit Hit, KnowledgeArticle Article)>();
        foreach (var hit in hits)
        {
            if (await search.GetAsync(hit.Key, cancellationToken) is { } article)
            {
                articles.Add((hit, article));
            }
        }

        if (articles.Count == 0)
        {
            return null;
        }

        var speaks = embedder.Locales.Contains(articles[0].Article.Locale) && IsMostlyLatin(question);
        if (speaks)
        {
            var texts = new List<string> { question };
            texts.AddRange(articles.Select(a => Embedded(a.Article)));
            var vectors = embedder.Embed(texts, cancellationToken);
            // Keep the search's order unless another candidate is clearly closer (the ranking already fused both signals).
            var ranked = Enumerable.Range(0, articles.Count).Select(i => (Index: i, Similarity: Dot(vectors[0], vectors[i + 1])))
                .OrderByDescending(x => x.Similarity - (x.Index * 0.02)).ToList();
            var best = ranked[0];
            var margin = ranked.Count > 1 ? Math.Max(0, best.Similarity - ranked.Skip(1).Max(x => x.Similarity)) : best.Similarity;
            // A clear winner is a better sign than a high similarity alone (measured: bench scenario "assist").
            var confidence = Math.Clamp(best.Similarity + (MarginWeight * margin), 0, 1);
            return new KnowledgeAnswer(articles[best.Index].Hit, confidence, "cosine+margin", best.Similarity, margin);
        }

        var top = articles[0];
        return new KnowledgeAnswer(top.Hit, Coverage(question, top.Article.Title + " " + top.Article.PlainText), "coverage");
    }

    private static string Embedded(KnowledgeArticle article)
    {
        var text = $"{article.Title}. {article.PlainText}";
        return text.Length > EmbeddedChars ? text[..EmbeddedChars] : text;
    }

    /// <summary>The share of the question's terms found in the text.</summary>
    internal static double Coverage(string question, string text)
    {
        var terms = Terms(question).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0)
        {
            return 0;
        }

        var haystack = text.ToLowerInvariant();
        return (double)terms.Count(t => haystack.Contains(t, StringComparison.Ordinal)) / terms.Count;
    }

    private static IEnumerable<string> Terms(string text)
    {
        var lower = text.ToLowerInvariant();
        var word = new System.Text.StringBuilder();
        char? previousCjk = null;
        foreach (var c in lower + " ")
        {
            if (c is >= '\u4e00' and <= '\u9fff')
            {
                if (previousCjk is { } p)
                {
                    yield return new string([p, c]);
                }

                previousCjk = c;
                continue;
            }

            previousCjk = null;
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                if (word.Length > 3)
                {
                    yield return word.ToString();
                }

                word.Clear();
            }
        }
    }

    private static bool IsMostlyLatin(string text)
    {
        var letters = text.Where(char.IsLetter).ToList();
        return letters.Count > 0 && letters.Count(c => c < '\u0250') * 10 >= letters.Count * 9;
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
