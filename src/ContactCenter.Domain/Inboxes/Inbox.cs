using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Inboxes;

/// <summary>One configured entry point: a widget on a site, a mailbox, a WhatsApp number…</summary>
public sealed class Inbox
{
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>(StringComparer.Ordinal);

    private Inbox() { }

    public InboxId Id { get; private set; }
    public string Name { get; private set; } = "";
    public ChannelKind Channel { get; private set; }
    public TeamId? DefaultTeamId { get; private set; }
    public bool IsEnabled { get; private set; } = true;
    public string? Greeting { get; private set; }

    /// <summary>Channel settings (addresses, page ids…). Secrets are referenced by configuration key, never stored here.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    public static Result<Inbox> Create(string name, ChannelKind channel, TeamId? defaultTeamId, string? greeting = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 80)
        {
            return Error.Validation("inbox.name", "An inbox name is 1 to 80 characters.");
        }

        return new Inbox
        {
            Id = InboxId.New(),
            Name = name.Trim(),
            Channel = channel,
            DefaultTeamId = defaultTeamId,
            Greeting = greeting,
        };
    }

    public void SetSetting(string key, string? value)
    {
        var copy = new Dictionary<string, string>(_settings, StringComparer.Ordinal);
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }

        _settings = copy;
    }

    public void Enable(bool enabled) => IsEnabled = enabled;

    public void RouteTo(TeamId? teamId) => DefaultTeamId = teamId;
}
