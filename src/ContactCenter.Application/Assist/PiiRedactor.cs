using System.Text.RegularExpressions;

namespace ContactCenter.Application.Assist;

/// <summary>
/// Removes personal data from text before it leaves the server: e-mail addresses, card numbers (13–19 digits passing the
/// Luhn check), phone numbers (7+ digits, with + ( ) - . and spaces), and the contact's names (whole name and each part of
/// three letters or more). Replacements are typed placeholders ([email], [card], [phone], [name]) so the text stays readable.
/// </summary>
public static partial class PiiRedactor
{
    public static string Redact(string text, IEnumerable<string?>? names = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Email().Replace(text, "[email]");
        result = CardCandidate().Replace(result, m => Luhn(m.Value) ? "[card]" : m.Value);
        result = Phone().Replace(result, m => m.Value.Count(char.IsDigit) >= 7 && !IsoDate().IsMatch(m.Value) ? "[phone]" : m.Value);
        foreach (var name in (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()))
        {
            var parts = new[] { name }.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 3 || p.Any(c => c > '\u2e80')))
                .Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(p => p.Length);
            foreach (var part in parts)
            {
                var pattern = part.Any(c => c > '\u2e80') ? Regex.Escape(part) : $@"\b{Regex.Escape(part)}\b";
                result = Regex.Replace(result, pattern, "[name]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
        }

        return result;
    }

    private static bool Luhn(string candidate)
    {
        var digits = candidate.Where(char.IsDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Email();

    [GeneratedRegex(@"\b(?:\d[ \-]?){12,18}\d\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"(?<![\w])\+?\(?\d[\d\s().\-]{5,}\d(?![\w])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Phone();
}
