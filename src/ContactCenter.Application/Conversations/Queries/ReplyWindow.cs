using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Application.Conversations.Queries;

/// <summary>
/// Meta's customer-service window: on WhatsApp and Messenger a free-form reply is only allowed within 24 hours of the
/// customer's last message (afterwards WhatsApp takes approved templates only). The sender enforces it; the console shows it.
/// </summary>
public static class ReplyWindow
{
    public static readonly TimeSpan CustomerService = TimeSpan.FromHours(24);

    public static bool Applies(ChannelKind channel) => channel is ChannelKind.WhatsApp or ChannelKind.Messenger;

    /// <summary>When free-form replies stop being allowed (null: the channel has no window, or the customer never wrote).</summary>
    public static DateTimeOffset? ClosesAt(ChannelKind channel, IEnumerable<DateTimeOffset> customerMessageTimes)
    {
        ArgumentNullException.ThrowIfNull(customerMessageTimes);
        if (!Applies(channel))
        {
            return null;
        }

        var last = customerMessageTimes.Select(t => (DateTimeOffset?)t).Max();
        return last + CustomerService;
    }

    public static DateTimeOffset? ClosesAt(ChannelKind channel, IEnumerable<Realtime.MessageDto> messages) =>
        ClosesAt(channel, messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => m.CreatedAt));
}
