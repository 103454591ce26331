using System.Text;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Integrations;
using ContactCenter.Application.Privacy;
using ContactCenter.Domain.Common;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;

namespace ContactCenter.Web.Endpoints;

/// <summary>Outbound webhook subscriptions and the audit log (admins), contact export and erasure (admins, supervisors).</summary>
public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        MapWebhookSubscriptions(app.MapGroup("/api/v1/webhook-subscriptions")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .WithTags("Webhook subscriptions"));
        MapAudit(app.MapGroup("/api/v1/audit")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .WithTags("Audit log"));
        MapPrivacy(app.MapGroup("/api/v1/contacts")
            .RequireAuthorization(Policies.Supervisors)
            .WithTags("Privacy"));
        return app;
    }

    private static void MapWebhookSubscriptions(RouteGroupBuilder group)
    {
        group.MapGet("/", (WebhookSubscriptionService service, CancellationToken ct) => service.ListAsync(ct))
            .WithSummary("Subscriptions (URL, events, enabled); secrets are never shown again after creation");

        group.MapPost("/", async (WebhookSubscriptionInput input, HttpContext http, WebhookSubscriptionService service, CancellationToken ct) =>
        {
            var result = await service.CreateAsync(input, AuditActors.From(http), ct);
            return result.IsSuccess
                ? Results.Created($"/api/v1/webhook-subscriptions/{result.Value.Subscription.Id}", result.Value)
                : ProblemResults.From(result.Error!);
        })
            .WithSummary("Subscribe a URL to events; the answer carries the signing secret, shown this once. Events: " + string.Join(", ", WebhookEvents.All))
            .Produces<CreatedWebhookSubscription>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPut("/{id:guid}", async (Guid id, WebhookSubscriptionInput input, HttpContext http, WebhookSubscriptionService service, CancellationToken ct) =>
            Ok(await service.UpdateAsync(id, input, AuditActors.From(http), ct)))
            .WithSummary("Change a subscription's URL, events, description or enabled state")
            .Produces<WebhookSubscriptionDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, WebhookSubscriptionService service, CancellationToken ct) =>
        {
            var result = await service.DeleteAsync(id, AuditActors.From(http), ct);
            return result.IsSuccess ? Results.NoContent() : ProblemResults.From(result.Error!);
        })
            .WithSummary("Delete a subscription and its delivery log")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/rotate-secret", async (Guid id, HttpContext http, WebhookSubscriptionService service, CancellationToken ct) =>
        {
            var result = await service.RotateSecretAsync(id, AuditActors.From(http), ct);
            return result.IsSuccess ? Results.Ok(new { secret = result.Value }) : ProblemResults.From(result.Error!);
        })
            .WithSummary("A new signing secret (shown once); the old one stops working at once")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/test", async (Guid id, WebhookSubscriptionService service, CancellationToken ct) =>
        {
            var result = await service.SendTestAsync(id, ct);
            return result.IsSuccess ? Results.Accepted(value: new { deliveryId = result.Value }) : ProblemResults.From(result.Error!);
        })
            .WithSummary("Queue a signed `ping` delivery to this subscription")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/deliveries", async (Guid id, int? take, WebhookSubscriptionService service, CancellationToken ct) =>
            Ok(await service.DeliveriesAsync(id, take ?? 50, ct)))
            .WithSummary("The latest deliveries, each with its attempts (status code, duration, start of the answer)")
            .Produces<IReadOnlyList<WebhookDeliveryDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapAudit(RouteGroupBuilder group)
    {
        group.MapGet("/", (string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? take, AuditLog audit, CancellationToken ct) =>
            audit.SearchAsync(new AuditQuery(action, actor, from, to, take ?? 200), ct))
            .WithSummary("Audit entries, newest first; action exact or a prefix ending in '*' (e.g. signin.*)")
            .Produces<IReadOnlyList<AuditEntryDto>>();

        group.MapGet("/export", async (string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var entries = await audit.SearchAsync(new AuditQuery(action, actor, from, to, AuditLog.MaxTake), ct);
            await audit.WriteAsync(AuditActors.From(http), AuditActions.AuditExported, null, new { action, actor, from, to, rows = entries.Count }, ct);
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(AuditLog.ToCsv(entries))).ToArray(), "text/csv; charset=utf-8", "audit-log.csv");
        })
            .WithSummary("The same filters as CSV (at most 5,000 rows); the export itself is audited");
    }

    private static void MapPrivacy(RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/export", async (Guid id, HttpContext http, ContactPrivacyService privacy, CancellationToken ct) =>
        {
            var result = await privacy.ExportAsync(new ContactId(id), AuditActors.From(http), ct);
            return result.IsSuccess ? Results.File(result.Value.Content, result.Value.ContentType, result.Value.FileName) : ProblemResults.From(result.Error!);
        })
            .WithSummary("Everything held about a contact as JSON (a zip with the files when there are attachments); audited")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/erase", async (Guid id, HttpContext http, ContactPrivacyService privacy, CancellationToken ct) =>
            Ok(await privacy.EraseAsync(new ContactId(id), AuditActors.From(http), ct)))
            .WithSummary("Erase a contact across every channel: identities, names, message text, attachments (files too), raw payloads; audited")
            .Produces<EraseSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// Audits every successful change (POST/PUT/PATCH/DELETE answered 2xx) of a settings group as <c>settings.changed</c>
    /// with the area, method and path (ids only; the new values stay in the settings' own tables).
    /// </summary>
    public static TBuilder AuditSettingsChanges<TBuilder>(this TBuilder builder, string area) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                && (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } || (result is IStatusCodeHttpResult { StatusCode: null } && http.Response.StatusCode < 300)))
            {
                await http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(AuditActors.From(http), AuditActions.SettingsChanged, http.Request.Path.Value,
                    new { area, method = http.Request.Method }, http.RequestAborted);
            }

            return result;
        });

    private static IResult Ok<T>(Result<T> result) =>
        result.IsSuccess ? Results.Ok(result.Value) : ProblemResults.From(result.Error!);
}
