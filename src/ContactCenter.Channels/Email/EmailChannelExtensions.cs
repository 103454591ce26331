using ContactCenter.Application.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Channels.Email;

public static class EmailChannelExtensions
{
    /// <summary>Email: parsing and filing, the SMTP receiver (Email:Smtp:Port), the IMAP poller, the SMTP sender, acknowledgements.</summary>
    public static IHostApplicationBuilder AddEmailChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.Configure<SmtpReceiverOptions>(builder.Configuration.GetSection(SmtpReceiverOptions.Section));
        services.Configure<AutoReplyOptions>(builder.Configuration.GetSection(AutoReplyOptions.Section));
        services.AddScoped<EmailNormaliser>();
        services.AddScoped<EmailIngest>();
        services.AddScoped<EmailAcknowledger>();
        services.AddSingleton<AutoReplyLimiter>();
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddHostedService<SmtpReceiver>();
        return builder;
    }
}
