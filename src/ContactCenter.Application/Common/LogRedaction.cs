using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ContactCenter.Application.Common;

/// <summary>
/// Keeps customers' personal data out of logs. Addresses are logged as a short keyed-free hash ("email#1a2b3c4d": the same
/// address gives the same tag, so support can still correlate lines, without the address itself); free text that may quote
/// one (a provider's error, an exception message) has emails and phone-number-like runs masked. Message text is never logged.
/// </summary>
public static partial class LogRedaction
{
    /// <summary>A stable tag for an email address, phone number or other identity value.</summary>
    public static string Tag(string? value, string kind = "id")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return kind + "#none";
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim().ToLowerInvariant()));
        return kind + "#" + Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }

    /// <summary>Free text with every email address and phone-like number replaced by its tag.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // One pass, so a tag's own hex digits are never taken for a phone number.
        return PersonalPattern().Replace(text, m => m.Groups["email"].Success
            ? Tag(m.Value, "email")
            : Tag(new string(m.Value.Where(char.IsAsciiDigit).ToArray()), "phone"));
    }

    // An email address, or seven or more digits optionally with a leading + and spaces, dots, dashes or brackets between them.
    [GeneratedRegex(@"(?<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})|(?<phone>\+?\d[\d\s().\-]{5,}\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalPattern();
}
