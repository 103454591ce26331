using ContactCenter.Application.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ContactCenter.Channels.Email;

public static class EmailChannelExtensions
{
    /// <summary>Email: parsing and filing, the SMTP receiver (Email:Smtp:Port), the IMAP poller and IDLE listener, the SMTP sender, acknowledgements.</summary>
    public static IHostApplicationBuilder AddEmailChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Legacy charsets of real mail (iso-2022-jp, gb2312, big5, shift_jis…), registered before MimeKit first looks
        // charsets up (it remembers which ones are missing).
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        services.Configure<SmtpReceiverOptions>(builder.Configuration.GetSection(SmtpReceiverOptions.Section));
        services.Configure<AutoReplyOptions>(builder.Configuration.GetSection(AutoReplyOptions.Section));
        services.AddScoped<EmailNormaliser>();
        services.AddScoped<EmailIngest>();
        services.AddScoped<EmailAcknowledger>();
        services.AddSingleton<AutoReplyLimiter>();
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddSingleton<IDocumentEmailSender, DocumentEmailSender>();
        services.AddHostedService<SmtpReceiver>();

        services.Configure<ImapOptions>(builder.Configuration.GetSection(ImapOptions.Section));
        services.AddSingleton<ImapPoller>();
        services.AddSingleton<ImapIdleListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ImapIdleListener>());
        var interval = builder.Configuration.GetSection(ImapOptions.Section).Get<ImapOptions>()?.PollInterval ?? new ImapOptions().PollInterval;
        services.AddQuartz(q =>
        {
            // The scheduler and its hosted service are the infrastructure's (Scheduling/SchedulingExtensions); this adds one job to it.
            q.AddJob<ImapPollJob>(j => j.WithIdentity(ImapPollJob.Key).StoreDurably());
            if (interval > TimeSpan.Zero)
            {
                q.AddTrigger(t => t.ForJob(ImapPollJob.Key)
                    .WithIdentity("imap-poll", "email")
                    .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Min(5, interval.TotalSeconds)))
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever()));
            }
        });
        return builder;
    }
}
