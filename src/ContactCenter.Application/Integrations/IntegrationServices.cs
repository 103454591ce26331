using ContactCenter.Application.Events;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Integrations;

/// <summary>Outbound webhooks, the audit log and the privacy features.</summary>
public static class IntegrationServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Audit.AuditLog>();
        services.AddScoped<Privacy.ContactPrivacyService>();
        services.AddScoped<Privacy.RetentionSweeper>();

        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            // Receivers answer where they are; a redirect is an answer (logged), never followed with our signature.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookQueue>();
        services.AddScoped<WebhookSubscriptionService>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<IDomainEventHandler<ConversationCreated>>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddSingleton<IDomainEventHandler<ConversationAssigned>>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddSingleton<IDomainEventHandler<ConversationStatusChanged>>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddSingleton<IDomainEventHandler<MessageAdded>>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddSingleton<IDomainEventHandler<CsatSubmitted>>(sp => sp.GetRequiredService<WebhookPublisher>());
    }
}
