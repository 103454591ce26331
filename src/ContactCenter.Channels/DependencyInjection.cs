using ContactCenter.Application.Outbound;
using ContactCenter.Application.Webhooks;
using ContactCenter.Channels.Email;
using ContactCenter.Channels.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Channels;

public static class DependencyInjection
{
    /// <summary>Channel adapters (inbound normalisers and outbound senders). The web chat is served by the web host's hub.</summary>
    public static IHostApplicationBuilder AddChannels(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddMessagingApps(builder.Services, builder.Configuration);
        builder.AddEmailChannel();
        return builder;
    }

    /// <summary>WhatsApp, Messenger, Telegram, SMS (Twilio) and WeChat: webhooks in, replies out (see docs/adr/009).</summary>
    public static void AddMessagingApps(IServiceCollection services, IConfiguration configuration)
    {
        ChannelHttp.AddChannelClients(services, configuration);
        services.AddSingleton<InboxSecrets>();
        services.AddSingleton<MediaDownloads>();
        services.AddSingleton<WhatsApp.WhatsAppMedia>();
        services.AddSingleton<WhatsApp.WhatsAppTemplates>();
        services.AddSingleton<Application.Conversations.Templates.IMessageTemplateCatalog>(sp => sp.GetRequiredService<WhatsApp.WhatsAppTemplates>());
        services.AddSingleton<Telegram.TelegramBots>();
        services.AddSingleton<WeChat.WeChatApi>();

        services.AddSingleton<IWebhookChannel, WhatsApp.WhatsAppWebhookChannel>();
        services.AddSingleton<IWebhookChannel, Messenger.MessengerWebhookChannel>();
        services.AddSingleton<IWebhookChannel, Telegram.TelegramWebhookChannel>();
        services.AddSingleton<IWebhookChannel, Twilio.TwilioWebhookChannel>();
        services.AddSingleton<IWebhookChannel, WeChat.WeChatWebhookChannel>();

        services.AddSingleton<IChannelSender, WhatsApp.WhatsAppSender>();
        services.AddSingleton<IChannelSender, Messenger.MessengerSender>();
        services.AddSingleton<IChannelSender, Telegram.TelegramSender>();
        services.AddSingleton<IChannelSender, Twilio.TwilioSender>();
        services.AddSingleton<IChannelSender, WeChat.WeChatSender>();
    }
}
