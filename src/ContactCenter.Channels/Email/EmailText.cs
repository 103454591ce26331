using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ContactCenter.Channels.Email;

/// <summary>Plain-text helpers: HTML to text, and the agent view of a reply (quoted history and signature cut off).</summary>
public static partial class EmailText
{
    /// <summary>Readable text of an HTML body: scripts and styles dropped, block ends become line breaks, entities decoded.</summary>
    public static string FromHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = InvisibleBlocks().Replace(html, "");
        text = LineBreaks().Replace(text, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = SpacesBeforeNewline().Replace(text, "\n");
        return ManyNewlines().Replace(text, "\n\n").Trim();
    }

    /// <summary>
    /// What the customer wrote this time: stops at the first reply header ("On … wrote:", "-----Original Message-----",
    /// an Outlook "From:" block, Chinese/German/French/Japanese equivalents), skips "&gt;" quoted lines and cuts the
    /// "-- " signature. Falls back to the full text when nothing would remain.
    /// </summary>
    public static string StripReply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimEnd();
            if (trimmed == "--" || IsReplyHeader(trimmed, i + 1 < lines.Length ? lines[i + 1] : null))
            {
                break;
            }

            if (trimmed.StartsWith('>'))
            {
                continue;
            }

            kept.Append(line).Append('\n');
        }

        var result = kept.ToString().Trim();
        return result.Length == 0 ? text.Trim() : result;
    }

    private static bool IsReplyHeader(string line, string? next)
    {
        if (OriginalMessage().IsMatch(line) || SentFrom().IsMatch(line))
        {
            return true;
        }

        if (Wrote().IsMatch(line))
        {
            return true;
        }

        // "On Mon, 1 Jan 2024 at 10:00, Someone <a@b.c>" wrapped onto the next line before "wrote:".
        if (line.StartsWith("On ", StringComparison.Ordinal) && next is not null && next.TrimEnd().EndsWith("wrote:", StringComparison.Ordinal))
        {
            return true;
        }

        return OutlookFrom().IsMatch(line) && next is not null && OutlookHeader().IsMatch(next);
    }

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InvisibleBlocks();

    [GeneratedRegex(@"<br\s*/?>|</(p|div|tr|li|h[1-6]|blockquote|table)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\u00a0]+\n")]
    private static partial Regex SpacesBeforeNewline();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyNewlines();

    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|原始邮件|元のメッセージ)\s*-{2,}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^\s*(Sent from my \w+|Von meinem \w+ gesendet|发自我的\w+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SentFrom();

    [GeneratedRegex(@"^\s*(On\s.+\swrote:|Am\s.+\sschrieb.*:|Le\s.+\sa écrit\s?:|在.+写道[:：]|.+\d{4}.+に.+書きました[:：]?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Wrote();

    [GeneratedRegex(@"^\s*\*?(From|Von|De|发件人|差出人)\s*\*?[:：]\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^\s*\*?(Sent|Date|To|Subject|Gesendet|Envoyé|发送时间|送信日時)\s*\*?[:：]", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookHeader();
}
