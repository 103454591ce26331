using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace ContactCenter.Channels.Messaging;

/// <summary>
/// Provider base URLs (so tests and sandboxes point them elsewhere) and the timeouts of the outbound HTTP calls:
/// configuration <c>Channels:Http</c> and <c>Channels:{App}:BaseUrl</c>.
/// </summary>
public sealed class ChannelHttpOptions
{
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

public static class ChannelHttp
{
    public const string WhatsApp = "channels.whatsapp";
    public const string Messenger = "channels.messenger";
    public const string Telegram = "channels.telegram";
    public const string Twilio = "channels.twilio";
    public const string WeChat = "channels.wechat";

    /// <summary>Named clients with the standard resilience handler: retries (5xx, 408, 429, network errors, attempt timeouts) and a circuit breaker.</summary>
    public static void AddChannelClients(IServiceCollection services, IConfiguration configuration)
    {
        var http = configuration.GetSection("Channels:Http").Get<ChannelHttpOptions>() ?? new ChannelHttpOptions();
        foreach (var name in new[] { WhatsApp, Messenger, Telegram, Twilio, WeChat })
        {
            services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan)
                .AddStandardResilienceHandler(o =>
                {
                    o.AttemptTimeout.Timeout = http.AttemptTimeout;
                    o.TotalRequestTimeout.Timeout = http.TotalTimeout;
                    o.Retry.MaxRetryAttempts = http.MaxRetries;
                    o.Retry.Delay = http.RetryDelay;
                    o.Retry.UseJitter = true;
                    o.CircuitBreaker.SamplingDuration = http.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? http.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
                });
        }
    }

    /// <summary>A provider's base URL from <c>Channels:{app}:BaseUrl</c>, always ending in '/'.</summary>
    public static Uri BaseUrl(IConfiguration configuration, string app, string fallback)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[$"Channels:{app}:BaseUrl"];
        var url = string.IsNullOrWhiteSpace(value) ? fallback : value;
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    /// <summary>The provider's answer, shortened for an error message the agent sees.</summary>
    public static string Describe(int status, string body) =>
        $"HTTP {status}: {(body.Length > 500 ? body[..500] : body)}";
}
