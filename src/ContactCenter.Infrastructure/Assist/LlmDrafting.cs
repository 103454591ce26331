using System.ClientModel;
using System.ClientModel.Primitives;
using ContactCenter.Application.Assist;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI;

namespace ContactCenter.Infrastructure.Assist;

/// <summary>
/// Registers an <see cref="IChatClient"/> for an OpenAI-compatible endpoint only when Assist:Llm:Enabled is true and an
/// endpoint is configured; otherwise no client exists, so nothing can be sent. The API key is read from the configuration
/// key named by Assist:Llm:ApiKeySetting (never stored in settings files).
/// </summary>
public static class LlmDrafting
{
    public const string HttpClientName = "assist-llm";

    public static IHostApplicationBuilder AddLlmDrafting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(AssistOptions.Section).Get<AssistOptions>()?.Llm ?? new LlmOptions();
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.Endpoint))
        {
            return builder;
        }

        builder.Services.AddHttpClient(HttpClientName, c => c.Timeout = options.Timeout);
        builder.Services.AddSingleton<IChatClient>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var key = options.ApiKeySetting is { Length: > 0 } setting ? configuration[setting] : null;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "none" : key), new OpenAIClientOptions
            {
                Endpoint = new Uri(options.Endpoint!),
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            });
            return client.GetChatClient(options.Model).AsIChatClient();
        });
        return builder;
    }
}
