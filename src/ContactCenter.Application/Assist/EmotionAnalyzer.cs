using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using ContactCenter.Domain.Assist;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Application.Assist;

/// <summary>How one message was read, with the evidence (for the console's tooltip and for tests).</summary>
public sealed record EmotionAnalysis(EmotionLabel Label, double Score, double Upset, IReadOnlyList<string> Signals)
{
    public EmotionReading Reading => new(Label, Score);

    public bool HasEscalationSignal { get; init; }
}

/// <summary>
/// Scores how upset a customer's message reads, in English and Chinese, locally and in microseconds: the AFINN-165 word
/// list (with negation), a customer-service phrase lexicon for both languages (waiting, repetition, escalation signals
/// such as "manager" or 投诉, sarcasm, politeness), and intensity (!!!, ???, CAPITALS). Chosen over the MiniLM embedding
/// head by measurement (docs/adr/018-assist.md): as accurate on the labelled set and a thousand times cheaper, and
/// MiniLM does not speak Chinese. Thread-safe; the tables are built once per process.
/// </summary>
public sealed class EmotionAnalyzer
{
    /// <summary>Upset points at which a message reads frustrated, and angry.</summary>
    public const double FrustratedAt = 2.5;

    public const double AngryAt = 7.0;

    private static readonly Lazy<Tables> Shared = new(Tables.Load);

    private static readonly System.Text.RegularExpressions.Regex RepeatCount = new(
        @"\b(twice|two|three|four|five|six|ten|several|multiple|many|\d+) (times|emails|calls|messages|requests|tickets|agents)\b",
        System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex Elapsed = new(
        @"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d+) (days|weeks|months|hours)\b",
        System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex ChineseRepeatCount = new(
        "[两二三四五六七八九十几好多]次|[两二三四五六七八九十几]封|[两二三四五六七八九十几]个客服",
        System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex ChineseElapsed = new(
        "[两二三四五六七八九十几\\d]+(天|周|个星期|个月|个小时)(了)?",
        System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static EmotionAnalyzer Instance { get; } = new();

    public EmotionAnalysis Analyze(string? text)
    {
        var tables = Shared.Value;
        var signals = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new EmotionAnalysis(EmotionLabel.Calm, 0, 0, signals);
        }

        var lower = text.ToLowerInvariant();
        var upset = 0.0;
        var escalation = false;

        // Chinese (and any CJK): greedy longest match over the term table.
        var hasCjk = false;
        foreach (var c in text)
        {
            if (c is >= '\u4e00' and <= '\u9fff')
            {
                hasCjk = true;
                break;
            }
        }

        if (hasCjk)
        {
            upset += ScanChinese(lower, tables, signals, ref escalation);
        }

        // English phrases first (their words are then not scored again), then AFINN words with negation.
        var padded = " " + NormalizeSpaces(lower) + " ";
        char[]? buffer = null;
        foreach (var (phrase, weight, isEscalation) in tables.English)
        {
            var at = IndexOfPhrase(padded, phrase);
            while (at >= 0)
            {
                upset += weight;
                escalation |= isEscalation;
                signals.Add(phrase);
                buffer ??= padded.ToCharArray();
                Array.Fill(buffer, ' ', at, phrase.Length);
                padded = new string(buffer);
                at = IndexOfPhrase(padded, phrase);
            }
        }

        var masked = padded;
        // Repetition and elapsed time: "three times", "4 emails", "twelve days"; 三次, 两次, 十天.
        var counted = RepeatCount.Matches(masked).Count + (hasCjk ? ChineseRepeatCount.Matches(text).Count : 0);
        var elapsed = Elapsed.Matches(masked).Count + (hasCjk ? ChineseElapsed.Matches(text).Count : 0);
        if (counted > 0)
        {
            upset += 2.5 * counted;
            signals.Add("repeated");
        }

        if (elapsed > 0)
        {
            upset += 1.5 * elapsed;
            signals.Add("elapsed");
        }

        var words = Words(masked);
        var positive = 0.0;
        for (var i = 0; i < words.Count; i++)
        {
            if (!tables.Afinn.TryGetValue(words[i], out var valence) || valence == 0)
            {
                continue;
            }

            var negated = false;
            for (var j = Math.Max(0, i - 3); j < i; j++)
            {
                negated |= EmotionLexicon.Negations.Contains(words[j]);
            }

            double v = negated ? -valence * 0.75 : valence;
            if (v < 0)
            {
                upset += -v;
                signals.Add(words[i]);
            }
            else
            {
                positive += v;
            }
        }

        // Praise softens a complaint only a little (polite complaints are still complaints).
        upset -= Math.Min(positive, 6) * (upset > 0 ? 0.25 : 0.5);

        // Intensity: exclamation and question marks in a row, shouting.
        var intensity = 1.0;
        var bangs = text.Count(c => c is '!' or '！');
        var questions = MaxRun(text, c => c is '?' or '？');
        if (bangs >= 3)
        {
            intensity += 0.5;
            signals.Add("!!!");
        }
        else if (bangs == 2)
        {
            intensity += 0.25;
        }

        if (questions >= 2)
        {
            intensity += 0.25;
            upset += 1;
            signals.Add("??");
        }

        var shouted = ShoutedWords(text);
        if (shouted >= 2)
        {
            intensity += 0.5;
            upset += 1.5;
            signals.Add("CAPS");
        }

        upset = upset > 0 ? upset * intensity : upset;
        var label = upset >= AngryAt ? EmotionLabel.Angry
            : upset >= FrustratedAt ? EmotionLabel.Frustrated
            : EmotionLabel.Calm;
        if (label == EmotionLabel.Frustrated && escalation && upset >= AngryAt * 0.7)
        {
            label = EmotionLabel.Angry;
        }

        var score = upset <= 0 ? 0 : Math.Round(1 - Math.Exp(-upset / 6.0), 3);
        return new EmotionAnalysis(label, score, Math.Round(upset, 2), signals) { HasEscalationSignal = escalation };
    }

    private static double ScanChinese(string text, Tables tables, List<string> signals, ref bool escalation)
    {
        var upset = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var matched = false;
            if (tables.ChineseByFirst.TryGetValue(text[i], out var candidates))
            {
                foreach (var (term, weight, isEscalation) in candidates)
                {
                    if (string.CompareOrdinal(text, i, term, 0, term.Length) == 0)
                    {
                        upset += weight;
                        escalation |= isEscalation;
                        if (weight > 0)
                        {
                            signals.Add(term);
                        }

                        i += term.Length;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                i++;
            }
        }

        return upset;
    }

    private static int IndexOfPhrase(string s, string phrase)
    {
        // Word-boundary match on the padded, lower-cased text.
        var from = 0;
        while (true)
        {
            var at = s.IndexOf(phrase, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            var before = at == 0 ? ' ' : s[at - 1];
            var after = at + phrase.Length >= s.Length ? ' ' : s[at + phrase.Length];
            var startOk = !char.IsLetterOrDigit(before) || !char.IsLetterOrDigit(phrase[0]);
            var endOk = !char.IsLetterOrDigit(after) || !char.IsLetterOrDigit(phrase[^1]);
            if (startOk && endOk)
            {
                return at;
            }

            from = at + 1;
        }
    }

    private static string NormalizeSpaces(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('’', '\'');

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (c is >= 'a' and <= 'z' || c == '\'' || (c is >= '0' and <= '9'))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString().Trim('\''));
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString().Trim('\''));
        }

        return words;
    }

    private static int MaxRun(string text, Func<char, bool> match)
    {
        int best = 0, run = 0;
        foreach (var c in text)
        {
            run = match(c) ? run + 1 : 0;
            best = Math.Max(best, run);
        }

        return best;
    }

    /// <summary>Words of three or more letters written all in capitals (I, OK, ID and the like are short and do not count).</summary>
    private static int ShoutedWords(string text)
    {
        var count = 0;
        var letters = 0;
        var upper = true;
        foreach (var c in text + " ")
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
            {
                letters++;
                upper &= char.IsUpper(c);
            }
            else
            {
                if (letters >= 3 && upper)
                {
                    count++;
                }

                letters = 0;
                upper = true;
            }
        }

        return count;
    }

    private sealed class Tables
    {
        public required FrozenDictionary<string, int> Afinn { get; init; }
        public required (string Phrase, double Weight, bool Escalation)[] English { get; init; }
        public required FrozenDictionary<char, (string Term, double Weight, bool Escalation)[]> ChineseByFirst { get; init; }

        public static Tables Load()
        {
            var afinn = new Dictionary<string, int>(StringComparer.Ordinal);
            using (var stream = typeof(EmotionAnalyzer).Assembly.GetManifestResourceStream("ContactCenter.Assist.afinn-165.tsv")
                ?? throw new InvalidOperationException("The AFINN-165 resource is missing from the assembly."))
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                while (reader.ReadLine() is { } line)
                {
                    var tab = line.IndexOf('\t', StringComparison.Ordinal);
                    if (tab > 0 && int.TryParse(line.AsSpan(tab + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var valence))
                    {
                        afinn[line[..tab]] = valence;
                    }
                }
            }

            foreach (var (word, valence) in EmotionLexicon.AfinnOverrides)
            {
                afinn[word] = valence;
            }

            return new Tables
            {
                Afinn = afinn.ToFrozenDictionary(StringComparer.Ordinal),
                English = [.. EmotionLexicon.English.OrderByDescending(p => p.Phrase.Length)],
                ChineseByFirst = EmotionLexicon.Chinese.GroupBy(t => t.Term[0])
                    .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(t => t.Term.Length).ToArray()),
            };
        }
    }
}
