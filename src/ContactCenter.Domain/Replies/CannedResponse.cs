using System.Text.RegularExpressions;
using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Replies;

/// <summary>
/// A saved answer agents insert by typing "/" and its shortcut (or from the composer's menu). Available to everyone, or to
/// one team. The text may hold placeholders filled in when it is inserted: {{contact.name}}, {{contact.first_name}},
/// {{agent.name}}, {{conversation.number}}.
/// </summary>
public sealed partial class CannedResponse
{
    public const int MaxShortcutLength = 32;
    public const int MaxTitleLength = 100;
    public const int MaxTextLength = 4000;

    private CannedResponse() { }

    public Guid Id { get; private set; }
    public string Shortcut { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Text { get; private set; } = "";
    public TeamId? TeamId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Result<CannedResponse> Create(string shortcut, string title, string text, TeamId? teamId, DateTimeOffset now)
    {
        var response = new CannedResponse { Id = Guid.CreateVersion7(now), CreatedAt = now };
        var changed = response.Change(shortcut, title, text, teamId, now);
        return changed.IsSuccess ? response : changed.Error!;
    }

    public Result Change(string shortcut, string title, string text, TeamId? teamId, DateTimeOffset now)
    {
        var key = (shortcut ?? "").Trim().TrimStart('/').ToLowerInvariant();
        if (key.Length is 0 or > MaxShortcutLength || !ShortcutPattern().IsMatch(key))
        {
            return Error.Validation("canned.shortcut", $"A shortcut is 1 to {MaxShortcutLength} letters, digits, '-' or '_' (typed after '/').");
        }

        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > MaxTitleLength)
        {
            return Error.Validation("canned.title", $"A title is 1 to {MaxTitleLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            return Error.Validation("canned.text", $"The text is 1 to {MaxTextLength:N0} characters.");
        }

        Shortcut = key;
        Title = title.Trim();
        Text = text.Trim();
        TeamId = teamId;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>The text with its placeholders filled in; unknown placeholders stay as written, missing values become empty.</summary>
    public static string Render(string text, string? contactName, string? agentName, long? conversationNumber)
    {
        ArgumentNullException.ThrowIfNull(text);
        var contact = (contactName ?? "").Trim();
        var first = contact.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return PlaceholderPattern().Replace(text, m => m.Groups[1].Value.ToLowerInvariant() switch
        {
            "contact.name" => contact,
            "contact.first_name" => first,
            "agent.name" => (agentName ?? "").Trim(),
            "conversation.number" => conversationNumber is { } n ? "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            _ => m.Value,
        });
    }

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortcutPattern();

    [GeneratedRegex(@"\{\{\s*([a-zA-Z_.]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
