using System.Text.Json.Serialization;
using ContactCenter.Infrastructure.Seed;
using ContactCenter.Web.Components;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Realtime;
using ContactCenter.Web.Scale;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter.Web;

public static class WebExtensions
{
    /// <summary>The CORS policy of the widget's endpoints (session and /hubs/chat).</summary>
    public const string WidgetCors = "widget";

    /// <summary>Hubs, Blazor Server, security, API description and rate limits.</summary>
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddContactCenterSecurity(builder.Configuration);
        services.AddContactCenterRateLimits(builder.Configuration);
        services.AddAntiforgery();
        services.AddCors(o => o.AddPolicy(WidgetCors, p => p
            // The widget runs on customers' own sites: any origin, never with credentials (it sends a bearer visitor token).
            .AllowAnyOrigin()
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "Authorization", "X-Requested-With", "X-SignalR-User-Agent")));
        // RFC 7807 for every error: results, status code pages (401/403/404/405…), rate limits, binding failures.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier));
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddOpenApi();
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var signalR = services.AddSignalR(o =>
            {
                o.AddFilter<HubErrorFilter>();
                o.AddFilter<HubScopeFilter>();
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddHubOptions<ChatHub>(o => o.MaximumReceiveMessageSize = 256 * 1024);
        if (builder.Configuration["Redis:Connection"] is { Length: > 0 } redis)
        {
            // Scale-out: groups (agents, teams, conversations, customers) span every node, over one shared connection.
            var shared = new Scale.SharedRedis(redis);
            services.AddSingleton(_ => shared);
            signalR.AddStackExchangeRedis(o => o.ConnectionFactory = shared.GetAsync);
            // Redis down must not silence this node's own clients: the backplane with a local fallback.
            services.AddSingleton(typeof(Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<>));
            services.AddSingleton(typeof(Microsoft.AspNetCore.SignalR.DefaultHubLifetimeManager<>));
            services.Replace(ServiceDescriptor.Singleton(typeof(Microsoft.AspNetCore.SignalR.HubLifetimeManager<>), typeof(Scale.ResilientHubLifetimeManager<>)));
        }

        services.AddSingleton<HubErrorFilter>();
        services.AddSingleton<HubScopeFilter>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<Application.Realtime.IRealtimeNotifier, SignalRNotifier>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddSingleton<SelfUrl>();
        services.AddScoped<AgentConsoleConnection>();
        services.AddScoped<Application.Events.IDomainEventHandler<Domain.Conversations.ConversationStatusChanged>, ChatEndedNotifier>();

        builder.AddObservability();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = new[] { "en", "zh-CN" };
            o.SetDefaultCulture("en").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            o.ApplyCurrentCultureToResponseHeaders = true;
        });
        // Chinese text stays readable in server-rendered HTML instead of character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseDatabaseUnavailableAnswers();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: the API limit is per caller
        app.UseAuthorization();
        app.UseApiScopes();
        app.UseIdempotency();
        app.UseWidgetHubGuard();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapObservability();
        app.MapOpenApi().AllowAnonymous();
        // The interactive reference of /openapi/v1.json at /scalar/v1 (its script is bundled, nothing from a CDN).
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, o => o.Title = "ContactCenter API")
            .AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext context) =>
        {
            // Language switch: remembered in the standard culture cookie; only en and zh-CN.
            var chosen = culture == "zh-CN" ? "zh-CN" : "en";
            context.Response.Cookies.Append(
                Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName,
                Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.MakeCookieValue(new Microsoft.AspNetCore.Localization.RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/console";
            return Results.LocalRedirect(target);
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapWidgetEndpoints();
        app.MapWidgetAssets();
        app.MapWidgetFiles();
        app.MapApiEndpoints();
        app.MapIntegrationEndpoints();
        app.MapDirectoryEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapSlaEndpoints();
        app.MapReportEndpoints();
        app.MapCsatSurveyEndpoints();
        app.MapWebhookEndpoints();
        Channels.Email.EmailEndpoints.MapEmailEndpoints(app);
        app.MapBenchRelay();
        app.MapHub<ChatHub>(ChatHub.Path).RequireCors(WidgetCors);
        app.MapHub<AgentHub>(AgentHub.Path);
        // Our own policy (SecurityHeaders: frame-ancestors 'none' and more) replaces Blazor's frame-ancestors 'self'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    /// <summary>Migrates and seeds before the app starts answering, and prints where to go.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
        }

        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
    }
}
