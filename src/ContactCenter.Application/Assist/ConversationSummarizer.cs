using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Assist;

/// <summary>
/// A short extractive summary of a conversation for transfers, hand-overs and supervisors: the customer's sentences that
/// carry the most of the conversation's content words (frequency-scored, in their original order), the latest customer
/// message, and how the customer's mood went. Local and deterministic: nothing is generated.
/// </summary>
public sealed class ConversationSummarizer(IApplicationDbContext db)
{
    public const int MaxSentences = 3;
    private const int MaxMessages = 200;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "that", "this", "with", "you", "your", "have", "has", "was", "are", "but", "not", "can", "could", "would", "please",
        "from", "what", "when", "where", "will", "just", "there", "they", "them", "then", "than", "been", "into", "about", "hello", "thanks", "thank",
    };

    public async Task<string> SummarizeAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id && !m.IsPrivate)
            .OrderBy(m => m.CreatedAt).Take(MaxMessages)
            .Select(m => new { m.AuthorKind, m.Text, m.Emotion })
            .ToListAsync(cancellationToken);
        var customer = messages.Where(m => m.AuthorKind == AuthorKind.Contact && !string.IsNullOrWhiteSpace(m.Text)).ToList();
        if (customer.Count == 0)
        {
            return "";
        }

        var sentences = customer.SelectMany((m, i) => Sentences(m.Text).Select(s => (Message: i, Text: s))).ToList();
        var frequency = sentences.SelectMany(s => Terms(s.Text)).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var chosen = sentences
            .Select((s, index) => (s, index, Score: Terms(s.Text).Distinct(StringComparer.Ordinal).Sum(t => frequency[t]) / Math.Sqrt(Math.Max(1, Terms(s.Text).Count()))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.index).Take(MaxSentences)
            .OrderBy(x => x.index).Select(x => x.s.Text).ToList();

        var latest = customer[^1].Text.ReplaceLineEndings(" ").Trim();
        if (!chosen.Any(c => latest.Contains(c, StringComparison.Ordinal)))
        {
            chosen.Add("Latest: " + Clip(latest, 160));
        }

        var moods = customer.Where(m => m.Emotion is not null).Select(m => m.Emotion!.Value).ToList();
        var mood = moods.Count == 0 ? "" : moods.Count == 1 ? $" Mood: {moods[0]}." : $" Mood: {moods[0]} → {moods[^1]}.";
        return Clip(string.Join(" ", chosen.Select(c => c.TrimEnd('.', '。') + (IsCjk(c) ? "。" : "."))), 700) + mood
            + $" ({customer.Count} customer message{(customer.Count == 1 ? "" : "s")}, {messages.Count(m => m.AuthorKind == AuthorKind.Agent)} agent repl{(messages.Count(m => m.AuthorKind == AuthorKind.Agent) == 1 ? "y" : "ies")}.)";
    }

    private static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        var clean = text.ReplaceLineEndings(" ");
        for (var i = 0; i < clean.Length; i++)
        {
            if (clean[i] is '.' or '?' or '!' or '。' or '？' or '！')
            {
                var s = clean[start..(i + 1)].Trim();
                if (s.Length > 3)
                {
                    yield return s;
                }

                start = i + 1;
            }
        }

        var rest = clean[start..].Trim();
        if (rest.Length > 3)
        {
            yield return rest;
        }
    }

    private static IEnumerable<string> Terms(string sentence)
    {
        var lower = sentence.ToLowerInvariant();
        for (var i = 0; i + 1 < lower.Length; i++)
        {
            if (IsCjk(lower[i]) && IsCjk(lower[i + 1]))
            {
                yield return lower.Substring(i, 2);
            }
        }

        foreach (var word in lower.Split((char[])[' ', ',', '.', '?', '!', ';', ':', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length > 2 && !StopWords.Contains(word) && !word.Any(IsCjk))
            {
                yield return word;
            }
        }
    }

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff';

    private static bool IsCjk(string s) => s.Any(IsCjk);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max].TrimEnd() + "…";
}
