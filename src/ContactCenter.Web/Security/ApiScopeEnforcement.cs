using System.Collections.Concurrent;
using System.Reflection;
using ContactCenter.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Web.Security;

/// <summary>
/// The scope an API token needs for an endpoint or hub method. Without it: endpoints that only admins may call
/// need "admin", other GET/HEAD need "read", everything else "write"; hub methods need "write".
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}

public static class ApiScopeEnforcement
{
    /// <summary>The claim that marks a principal as authenticated by a personal API token, holding its scopes.</summary>
    public const string ScopesClaim = "cc:token_scopes";

    private static readonly ConcurrentDictionary<(Endpoint, bool), string> Required = new();

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresScopeAttribute(scope));

    /// <summary>After authorisation: a request to a non-anonymous endpoint made with an API token whose scopes don't cover the endpoint gets 403 (problem details).</summary>
    public static IApplicationBuilder UseApiScopes(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var granted = context.User.FindFirst(ScopesClaim)?.Value;
            if (granted is not null && context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
                var required = Required.GetOrAdd((endpoint, reads), k => RequiredScope(k.Item1, k.Item2, context.RequestServices));
                if (!ApiScopes.Allows(granted, required))
                {
                    await WriteForbiddenAsync(context, required);
                    return;
                }
            }

            await next(context);
        });

    private static string RequiredScope(Endpoint endpoint, bool reads, IServiceProvider services)
    {
        if (endpoint.Metadata.GetMetadata<RequiresScopeAttribute>() is { } explicitScope)
        {
            return explicitScope.Scope;
        }

        if (AdminOnly(endpoint, services))
        {
            return ApiScopes.Admin;
        }

        // A hub's negotiate (POST) and connection only need "read": each hub method checks its own scope.
        if (endpoint.Metadata.GetMetadata<HubMetadata>() is not null)
        {
            return ApiScopes.Read;
        }

        return reads ? ApiScopes.Read : ApiScopes.Write;
    }

    private static bool AdminOnly(Endpoint endpoint, IServiceProvider services)
    {
        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = AuthorizationPolicy.CombineAsync(provider,
                endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
                endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>())
            .GetAwaiter().GetResult();
        return policy?.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
            .Any(r => r.AllowedRoles.All(role => role == Roles.Admin)) == true;
    }

    private static Task WriteForbiddenAsync(HttpContext context, string required) =>
        Endpoints.ProblemResults.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden.scope",
            $"This API token lacks the '{required}' scope.", ("requiredScope", required));

    /// <summary>The scope a hub method needs from an API token: its [RequiresScope], else "write".</summary>
    public static string RequiredScope(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.GetCustomAttribute<RequiresScopeAttribute>()?.Scope ?? ApiScopes.Write;
    }
}

/// <summary>Hub methods called over an API-token connection need the method's scope (see <see cref="RequiresScopeAttribute"/>).</summary>
public sealed class HubScopeFilter : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        var granted = invocationContext.Context.User?.FindFirst(ApiScopeEnforcement.ScopesClaim)?.Value;
        if (granted is not null)
        {
            var required = ApiScopeEnforcement.RequiredScope(invocationContext.HubMethod);
            if (!ApiScopes.Allows(granted, required))
            {
                throw new HubException($"forbidden.scope: This API token lacks the '{required}' scope.");
            }
        }

        return next(invocationContext);
    }
}
