using System.Text.Json;
using System.Text.RegularExpressions;
using ContactCenter.Application.Conversations.Templates;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.WhatsApp;

/// <summary>
/// The approved templates of a WhatsApp inbox, from its setting <c>templates</c>: a JSON array of
/// <c>{"name","language","body","params"}</c> copied from WhatsApp Manager (body: the approved text with {{1}}…{{params}}).
/// A malformed setting or entry is skipped with a warning — the inbox keeps working, it just offers fewer templates.
/// </summary>
public sealed partial class WhatsAppTemplates(ILogger<WhatsAppTemplates> logger) : IMessageTemplateCatalog
{
    public const string TemplatesSetting = "templates";

    public ChannelKind Channel => ChannelKind.WhatsApp;

    public IReadOnlyList<MessageTemplate> For(Inbox inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (!inbox.Settings.TryGetValue(TemplatesSetting, out var json) || string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        var (templates, problems) = Parse(json);
        foreach (var problem in problems)
        {
            LogInvalid(logger, inbox.Id.Value, problem);
        }

        return templates;
    }

    /// <summary>The valid templates of a setting value and, for everything skipped, why.</summary>
    public static (IReadOnlyList<MessageTemplate> Templates, IReadOnlyList<string> Problems) Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var templates = new List<MessageTemplate>();
        var problems = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ([], ["the setting is not a JSON array"]);
            }

            var index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var (template, problem) = ParseOne(item);
                if (template is null)
                {
                    problems.Add($"entry {index}: {problem}");
                }
                else if (templates.Any(t => t.Name == template.Name && string.Equals(t.Language, template.Language, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"entry {index}: '{template.Name}' ({template.Language}) is listed twice");
                }
                else
                {
                    templates.Add(template);
                }

                index++;
            }
        }
        catch (JsonException ex)
        {
            return ([], [$"invalid JSON: {ex.Message}"]);
        }

        return (templates, problems);
    }

    private static (MessageTemplate? Template, string? Problem) ParseOne(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, "not an object");
        }

        var name = Text(item, "name");
        var language = Text(item, "language");
        var body = Text(item, "body");
        if (name is null || !NamePattern().IsMatch(name))
        {
            return (null, $"the name must be lowercase letters, digits and underscores (at most {MessageTemplate.MaxNameLength})");
        }

        if (language is null || !LanguagePattern().IsMatch(language))
        {
            return (null, $"'{name}': the language must be a code like en or zh_CN");
        }

        if (string.IsNullOrWhiteSpace(body) || body.Length > 1024)
        {
            return (null, $"'{name}': the body must be the approved text (at most 1024 characters)");
        }

        if (!item.TryGetProperty("params", out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out var count) || count is < 0 or > 20)
        {
            return (null, $"'{name}': params must be the number of placeholders (0–20)");
        }

        var used = MessageTemplate.PlaceholdersOf(body);
        if (!used.SetEquals(Enumerable.Range(1, count)))
        {
            return (null, $"'{name}': the body must use exactly the placeholders {{{{1}}}}…{{{{{count}}}}}");
        }

        return (new MessageTemplate(name, language, body, count), null);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim() : null;

    [GeneratedRegex("^[a-z0-9_]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Za-z]{2,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp inbox {InboxId}: a template in the 'templates' setting is ignored: {Problem}")]
    private static partial void LogInvalid(ILogger logger, Guid inboxId, string problem);
}
