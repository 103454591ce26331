using ContactCenter.Channels.Email;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Channels;

public static class DependencyInjection
{
    /// <summary>Channel adapters (inbound normalisers and outbound senders). The web chat is served by the web host's hub.</summary>
    public static IHostApplicationBuilder AddChannels(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEmailChannel();
        return builder;
    }
}
