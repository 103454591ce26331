using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;

namespace ContactCenter.Application.Conversations.Templates;

/// <summary>
/// A pre-approved message template (WhatsApp: approved in WhatsApp Manager), the only kind of message allowed outside the
/// 24-hour customer-service window. Body is the approved text with numbered placeholders {{1}}…{{Params}}.
/// </summary>
public sealed partial record MessageTemplate(string Name, string Language, string Body, int Params)
{
    /// <summary>Meta's limit on a template's name, kept here so a template send always fits the message's external id.</summary>
    public const int MaxNameLength = 100;

    public const int MaxParameterLength = 1024;

    /// <summary>The text the customer receives: each {{n}} replaced by the n-th parameter.</summary>
    public string Render(IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Placeholder().Replace(Body, m =>
        {
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return n >= 1 && n <= parameters.Count ? parameters[n - 1] : m.Value;
        });
    }

    /// <summary>Checks the agent's parameters: one non-blank value per placeholder, single-line (Meta refuses new lines and tabs).</summary>
    public Result ValidateParameters(IReadOnlyList<string>? parameters)
    {
        if (parameters is null || parameters.Count != Params)
        {
            return Error.Validation("template.parameters", $"The template '{Name}' takes {Params} parameter(s).");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (string.IsNullOrWhiteSpace(p) || p.Length > MaxParameterLength || p.Contains('\n', StringComparison.Ordinal) || p.Contains('\r', StringComparison.Ordinal)
                || p.Contains('\t', StringComparison.Ordinal) || p.Contains("    ", StringComparison.Ordinal))
            {
                return Error.Validation("template.parameters", $"Parameter {{{{{i + 1}}}}} must be one line of text (no tabs, at most 3 spaces in a row, at most {MaxParameterLength} characters).");
            }
        }

        return Result.Success();
    }

    /// <summary>
    /// Recovers the parameters from a rendered text (the stored message): the sender needs them but the message keeps only
    /// the text. The reply handler refuses parameters that would not come back identically, so this is exact for every
    /// template send that was stored.
    /// </summary>
    public IReadOnlyList<string>? Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pattern = new StringBuilder("^");
        var seen = new HashSet<int>();
        var last = 0;
        foreach (Match m in Placeholder().Matches(Body))
        {
            pattern.Append(Regex.Escape(Body[last..m.Index]));
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            pattern.Append(seen.Add(n) ? $"(?<p{n}>.+?)" : $"\\k<p{n}>");
            last = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(Body[last..])).Append('$');
        var match = Regex.Match(text, pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return null;
        }

        var values = new List<string>(Params);
        for (var n = 1; n <= Params; n++)
        {
            if (!match.Groups[$"p{n}"].Success)
            {
                return null;
            }

            values.Add(match.Groups[$"p{n}"].Value);
        }

        return values;
    }

    /// <summary>The placeholder numbers used in a body ({{1}}, {{2}}…).</summary>
    public static IReadOnlySet<int> PlaceholdersOf(string body) =>
        Placeholder().Matches(body).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();

    [GeneratedRegex(@"\{\{(\d{1,2})\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

/// <summary>The approved templates of an inbox (per channel; WhatsApp reads the inbox setting <c>templates</c>).</summary>
public interface IMessageTemplateCatalog
{
    ChannelKind Channel { get; }

    IReadOnlyList<MessageTemplate> For(Inbox inbox);
}

/// <summary>
/// How a template send is recognised without a schema change: the agent message's ExternalId is
/// <c>template:{language}:{name}:{client message id}</c> (the name and language say which template; the parameters come
/// back from the stored text with <see cref="MessageTemplate.Match"/>). Free-text replies keep <c>agent:{client id}</c>.
/// </summary>
public static class TemplateSends
{
    public const string Prefix = "template:";

    public static string ExternalId(MessageTemplate template, string clientMessageId)
    {
        ArgumentNullException.ThrowIfNull(template);
        return $"{Prefix}{template.Language}:{template.Name}:{clientMessageId}";
    }

    /// <summary>The template's (language, name) of a template send, or null for any other message.</summary>
    public static (string Language, string Name)? Parse(string? externalId)
    {
        if (externalId is null || !externalId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = externalId[Prefix.Length..].Split(':', 3);
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }

    /// <summary>The inbox's template of a stored template send, matched by name and language.</summary>
    public static MessageTemplate? Find(IEnumerable<MessageTemplate> templates, string language, string name) =>
        templates.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal) && string.Equals(t.Language, language, StringComparison.OrdinalIgnoreCase));
}
