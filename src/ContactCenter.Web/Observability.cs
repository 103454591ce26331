using System.Text.Json;
using ContactCenter.Application.Diagnostics;
using ContactCenter.Application.Knowledge;
using ContactCenter.Infrastructure.Persistence;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContactCenter.Web;

/// <summary>
/// Health (/health: database, search and Redis when configured; /health/live: the process only), OpenTelemetry metrics and
/// traces (ASP.NET Core, HttpClient, runtime and the contact center's own meter), exported over OTLP when
/// `OpenTelemetry:Otlp:Endpoint` (or OTEL_EXPORTER_OTLP_ENDPOINT) is set, and scraped by Prometheus at /metrics (admins or an
/// admin API token; `OpenTelemetry:Prometheus:Anonymous=true` opens it to a private scrape network).
/// </summary>
public static class Observability
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var checks = builder.Services.AddHealthChecks()
            .AddDbContextCheck<ContactCenterDbContext>("database", HealthStatus.Unhealthy, [Ready])
            .AddCheck<KnowledgeSearchHealthCheck>("search", HealthStatus.Unhealthy, [Ready]);
        if (config["Redis:Connection"] is { Length: > 0 })
        {
            // Degraded, not unhealthy: without Redis a node still serves its own clients; pushes across nodes pause.
            checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, [Ready]);
        }

        var otlp = config["OpenTelemetry:Otlp:Endpoint"] ?? config["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("contactcenter", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m =>
            {
                m.AddMeter(ContactCenterMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is { Length: > 0 })
                {
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        if (otlp is { Length: > 0 })
        {
            telemetry.WithTracing(t => t
                .AddSource(ContactCenterMetrics.MeterName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health") && !c.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }

        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Stable contract: /health is 200 when the app is ready (database and search answer; Redis down only degrades it).
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Configuration.GetValue("OpenTelemetry:Prometheus:Anonymous", false))
        {
            metrics.AllowAnonymous();
        }
        else
        {
            metrics.RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        }

        return app;
    }

    /// <summary>Status per check (no exception text: it can name hosts and users).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1), e.Value.Description }),
        }));
    }
}

internal sealed class KnowledgeSearchHealthCheck(IKnowledgeSearch search) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var manifest = await search.GetManifestAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{manifest.Count} articles published");
        }
#pragma warning disable CA1031 // any failure of the engine is the answer
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The search engine does not answer.", ex);
        }
    }
}

internal sealed class RedisHealthCheck(Scale.SharedRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await redis.GetAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
#pragma warning disable CA1031 // any failure is the answer
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Degraded("Redis does not answer: pushes between nodes pause; this node serves its own clients.", ex);
        }
    }
}
