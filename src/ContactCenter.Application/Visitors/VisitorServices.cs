using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Visitors;

public static class VisitorServices
{
    /// <summary>The web chat customers' use cases: ending a chat, CSAT, identity and origin checks, message rate limits, attachments, the offline form and transcripts by email.</summary>
    public static IServiceCollection AddVisitorFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<EndVisitorChatHandler>();
        services.AddScoped<VisitorAccess>();
        services.AddScoped<ChatStateQuery>();
        services.AddScoped<Feedback.RateConversationHandler>();
        services.Configure<VisitorMessageRateOptions>(configuration.GetSection("Widget:MessageRateLimit"));
        services.AddSingleton<VisitorMessageLimiter>();
        services.Configure<WidgetFormOptions>(configuration.GetSection("Widget:Forms"));
        services.AddScoped<WidgetAvailabilityQuery>();
        services.AddScoped<SubmitOfflineMessageHandler>();
        services.AddScoped<RequestTranscriptHandler>();
        services.AddScoped<MarkChatReadHandler>();
        services.Configure<Files.AttachmentOptions>(configuration.GetSection("Files"));
        services.AddScoped<Files.VisitorFiles>();
        services.AddScoped<Files.AgentFiles>();
        services.AddScoped<Files.FileOwnerCheck>();
        return services;
    }
}
