using System.Net;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContactCenter.Channels.Messaging;

/// <summary>One HTTP call to a provider through a resilient client, turned into a <see cref="SendOutcome"/>-friendly answer.</summary>
public sealed record ProviderAnswer(HttpStatusCode Status, string Body)
{
    public bool Success => (int)Status is >= 200 and < 300;

    /// <summary>4xx other than 408/429: the provider refused this request and will refuse it again.</summary>
    public bool Permanent => (int)Status is >= 400 and < 500 and not 408 and not 429;
}

public static partial class ProviderCalls
{
    /// <summary>
    /// Sends through the named client (its resilience handler retries 5xx, 408, 429, network errors and timeouts);
    /// returns the final answer, or a transient failure text when the provider could not be reached at all.
    /// </summary>
    public static async Task<(ProviderAnswer? Answer, string? Unreachable)> SendAsync(HttpClient client, HttpRequestMessage request, ILogger logger, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return (new ProviderAnswer(response.StatusCode, body), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, ex, provider);
            return (null, $"{provider} could not be reached: {ex.Message}");
        }
    }

    /// <summary>A failed answer as a send outcome: permanent for refusals (with the provider's reason), transient otherwise.</summary>
    public static SendOutcome Failure(string provider, ProviderAnswer answer, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return SendOutcome.Failed($"{provider} refused the message: {reason ?? ChannelHttp.Describe((int)answer.Status, answer.Body)}", answer.Permanent);
    }

    /// <summary>
    /// Meta's customer-service window (WhatsApp and Messenger): free-form replies only within 24 hours of the customer's
    /// last message; outside it only approved templates (WhatsApp) or tagged messages (Messenger) may be sent.
    /// </summary>
    public static DateTimeOffset? LastCustomerMessageAt(IReadOnlyList<Message> thread) =>
        thread.Where(m => m.Direction == MessageDirection.Inbound).Select(m => (DateTimeOffset?)m.CreatedAt).Max();

    public static readonly TimeSpan CustomerServiceWindow = Application.Conversations.Queries.ReplyWindow.CustomerService;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} could not be reached.")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string provider);
}
