using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web.Endpoints;

/// <summary>
/// Messaging-app webhooks: POST /webhooks/{channel}/{inboxId} (whatsapp, messenger, telegram, twilio, wechat) and GET for
/// the Meta hub.challenge and WeChat URL-verification handshakes. Anonymous by design: each channel verifies the
/// provider's signature over the raw body before anything is parsed or stored (see WebhookIntake).
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/{channel}/{inboxId:guid}")
            .AllowAnonymous() // Providers can't sign in; every request is verified by the channel's signature check.
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.Webhooks)
            .WithTags("Webhooks");
        group.MapPost("", ReceiveAsync)
            .WithSummary("A provider's webhook: verified, stored, acknowledged; processed in the background")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("", HandshakeAsync)
            .WithSummary("The provider's URL verification (Meta hub.challenge, WeChat echostr)");
        return app;
    }

    private static async Task<IResult> HandshakeAsync(string channel, Guid inboxId, HttpContext http, WebhookIntake intake, CancellationToken ct)
    {
        var request = new WebhookRequest(Url(http), Headers(http), Query(http), http.Request.ContentType ?? "", []);
        var result = await intake.HandshakeAsync(channel, new InboxId(inboxId), request, ct);
        return result.Outcome switch
        {
            IntakeOutcome.Handshake => Results.Text(result.Reply, "text/plain", statusCode: result.StatusCode),
            IntakeOutcome.NoHandshake => Results.Problem(detail: result.Detail, statusCode: StatusCodes.Status405MethodNotAllowed),
            _ => Results.Problem(detail: result.Detail, statusCode: StatusCodes.Status404NotFound),
        };
    }

    private static async Task<IResult> ReceiveAsync(string channel, Guid inboxId, HttpContext http, WebhookIntake intake, IOptions<WebhookOptions> options, CancellationToken ct)
    {
        if (intake.Channel(channel) is null)
        {
            return Results.Problem(detail: "There is no such webhook.", statusCode: StatusCodes.Status404NotFound);
        }

        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        var request = new WebhookRequest(Url(http), Headers(http), Query(http), http.Request.ContentType ?? "", buffer.ToArray());
        var result = await intake.ReceiveAsync(channel, new InboxId(inboxId), request, ct);
        return result.Outcome switch
        {
            IntakeOutcome.Stored => Results.Text(result.Reply ?? "", result.ReplyContentType, statusCode: StatusCodes.Status200OK),
            IntakeOutcome.Unauthorized => Results.Problem(title: "Signature missing", detail: result.Detail, statusCode: StatusCodes.Status401Unauthorized),
            IntakeOutcome.Forbidden => Results.Problem(title: "Signature invalid", detail: result.Detail, statusCode: StatusCodes.Status403Forbidden),
            IntakeOutcome.Malformed => Results.Problem(title: "Malformed webhook", detail: result.Detail, statusCode: StatusCodes.Status400BadRequest),
            IntakeOutcome.NotConfigured => Results.Problem(title: "Inbox not configured", detail: result.Detail, statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => Results.Problem(detail: result.Detail, statusCode: StatusCodes.Status404NotFound),
        };
    }

    private static IResult TooLarge(long limit) =>
        Results.Problem(title: "Webhook too large", detail: $"Webhook bodies are limited to {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The URL as the provider called it (Twilio signs it): honours forwarded headers applied by the host.</summary>
    private static Uri Url(HttpContext http) =>
        new($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}");

    private static Dictionary<string, string> Headers(HttpContext http) =>
        http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string> Query(HttpContext http) =>
        http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
}
