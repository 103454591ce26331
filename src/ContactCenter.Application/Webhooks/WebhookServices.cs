using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Webhooks;

public static class WebhookServices
{
    /// <summary>The webhook pipeline (intake, inbox processor, cross-channel contact linking); channels add their <see cref="IWebhookChannel"/>.</summary>
    public static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection("Webhooks"));
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookInboxWriter>();
        services.AddScoped<WebhookIntake>();
        services.AddScoped<ContactLinker>();
        services.AddSingleton<WebhookProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookProcessor>());
    }
}
