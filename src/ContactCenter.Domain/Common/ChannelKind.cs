namespace ContactCenter.Domain.Common;

/// <summary>Where a conversation comes from.</summary>
public enum ChannelKind
{
    WebChat = 0,
    Email = 1,
    WhatsApp = 2,
    Messenger = 3,
    Telegram = 4,
    Sms = 5,
    WeChat = 6,
    Api = 7,
}

/// <summary>How work counts against an agent's capacity: live chats are few at once, async tickets many.</summary>
public enum WorkKind
{
    Live = 0,
    Async = 1,
}

public static class ChannelKindExtensions
{
    public static WorkKind WorkKind(this ChannelKind channel) => channel switch
    {
        ChannelKind.WebChat => Common.WorkKind.Live,
        _ => Common.WorkKind.Async,
    };

    /// <summary>The identity kind a customer on this channel is known by.</summary>
    public static Contacts.IdentityKind IdentityKind(this ChannelKind channel) => channel switch
    {
        ChannelKind.WebChat => Contacts.IdentityKind.WidgetVisitor,
        ChannelKind.Email => Contacts.IdentityKind.Email,
        ChannelKind.WhatsApp => Contacts.IdentityKind.WhatsApp,
        ChannelKind.Messenger => Contacts.IdentityKind.Messenger,
        ChannelKind.Telegram => Contacts.IdentityKind.Telegram,
        ChannelKind.Sms => Contacts.IdentityKind.Phone,
        ChannelKind.WeChat => Contacts.IdentityKind.WeChat,
        ChannelKind.Api => Contacts.IdentityKind.External,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };
}
