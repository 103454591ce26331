using System.Net;
using System.Reflection;
using System.Text;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static ContactCenter.Web.Tests.Security.Rule;

namespace ContactCenter.Web.Tests.Security;

/// <summary>Who may call an endpoint or hub method, and which API-token scope it needs.</summary>
public sealed record Rule(Rule.Who Audience, string? Scope)
{
    public enum Who
    {
        /// <summary>Everyone, signed in or not.</summary>
        Anyone,

        /// <summary>Open to the router (AllowAnonymous) but checks its own credential: a provider signature, a visitor token or a staff sign-in against the object (tested on their own: webhooks, files, IDOR tests).</summary>
        SelfChecked,

        /// <summary>Widget visitors (a visitor token) only.</summary>
        Visitor,

        /// <summary>Agents, supervisors, admins; API tokens with <see cref="Scope"/> or more.</summary>
        Staff,

        /// <summary>Supervisors and admins; API tokens (of an admin) with <see cref="Scope"/> or more.</summary>
        Supervisors,

        /// <summary>Admins; API tokens (of an admin) with <see cref="Scope"/> or more.</summary>
        Admins,
    }

    public static readonly Rule Anyone = new(Who.Anyone, null);
    public static readonly Rule SelfChecked = new(Who.SelfChecked, null);
    public static readonly Rule Visitor = new(Who.Visitor, null);

    public static Rule Staff(string scope) => new(Who.Staff, scope);

    public static Rule Supervisors(string scope) => new(Who.Supervisors, scope);

    public static Rule Admins(string scope) => new(Who.Admins, scope);

    public bool Allows(Caller caller) => Audience switch
    {
        Who.Anyone or Who.SelfChecked => true,
        Who.Visitor => caller == Caller.Visitor,
        Who.Staff => caller is Caller.Agent or Caller.Supervisor or Caller.Admin || TokenAllows(caller),
        Who.Supervisors => caller is Caller.Supervisor or Caller.Admin || TokenAllows(caller),
        Who.Admins => caller is Caller.Admin || TokenAllows(caller),
        _ => false,
    };

    private bool TokenAllows(Caller caller) => caller switch
    {
        Caller.TokenRead => ApiScopes.Allows(ApiScopes.Read, Scope!),
        Caller.TokenWrite => ApiScopes.Allows(ApiScopes.Write, Scope!),
        Caller.TokenAdmin => ApiScopes.Allows(ApiScopes.Admin, Scope!),
        _ => false,
    };

    public override string ToString() => Audience switch
    {
        Who.Anyone or Who.SelfChecked or Who.Visitor => Audience.ToString(),
        _ => $"{Audience}(ApiScopes.{char.ToUpperInvariant(Scope![0])}{Scope[1..]})",
    };
}

/// <summary>
/// Every endpoint the app maps (from its EndpointDataSource) and every public method of every hub it maps, called by
/// every kind of caller against the explicit table below. An endpoint or hub method missing from the table fails
/// the test: new ones must be declared here, one line each.
/// </summary>
public sealed class AuthorizationMatrixTests(SecurityWorld world) : IClassFixture<SecurityWorld>
{
    private const string Read = ApiScopes.Read;
    private const string Write = ApiScopes.Write;
    private const string Admin = ApiScopes.Admin;

    /// <summary>"METHODS route-pattern" (methods comma-joined as mapped, * when any) → who may call it.</summary>
    public static readonly IReadOnlyDictionary<string, Rule> Endpoints = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        // BEGIN ENDPOINTS (one line per endpoint; keep sorted)
        ["* /_blazor"] = Staff(Read), // Blazor Server circuits: signed-in pages only (sign-in and help pages render without a circuit)
        ["* /_blazor/disconnect/"] = Staff(Read), // "*" endpoints are called with GET
        ["* /_blazor/initializers/"] = Staff(Read),
        ["* /_blazor/negotiate"] = Staff(Read),
        ["* /health"] = Anyone,
        ["* /health/live"] = Anyone,
        ["* /hubs/agent"] = Staff(Read), // each method checks its own scope (HubMethods below)
        ["* /hubs/agent/negotiate"] = Staff(Read),
        ["* /hubs/chat"] = Visitor,
        ["* /hubs/chat/negotiate"] = Visitor,
        ["* /metrics"] = Admins(Admin),
        ["DELETE /api/v1/canned-responses/{id:guid}"] = Supervisors(Write),
        ["GET /_framework/opaque-redirect"] = Staff(Read),
        ["GET /api/v1/admin/business-hours"] = Admins(Admin),
        ["GET /api/v1/admin/sla-policies"] = Admins(Admin),
        ["GET /api/v1/agents"] = Staff(Read),
        ["GET /api/v1/canned-responses/"] = Staff(Read),
        ["GET /api/v1/contacts/"] = Staff(Read),
        ["GET /api/v1/contacts/{id:guid}"] = Staff(Read),
        ["GET /api/v1/conversations"] = Staff(Read),
        ["POST /api/v1/conversations"] = Staff(Write),
        ["GET /api/v1/conversations/{id:guid}"] = Staff(Read),
        ["GET /api/v1/conversations/{id:guid}/messages"] = Staff(Read),
        ["GET /api/v1/email/files/{key}"] = Staff(Read),
        ["GET /api/v1/email/quarantine/"] = Admins(Admin),
        ["GET /api/v1/email/quarantine/{id:guid}/raw"] = Admins(Admin),
        ["GET /api/v1/kb/articles"] = Staff(Read),
        ["GET /api/v1/kb/articles/{locale}/{slug}"] = Anyone, // internal articles only for staff (KnowledgeWebTests)
        ["GET /api/v1/kb/search"] = Anyone,
        ["GET /csat/{token}"] = SelfChecked, // the signed, time-limited survey token (CsatSurveyTests)
        ["POST /csat/{token}"] = SelfChecked,
        ["GET /api/v1/kb/suggest"] = Anyone,
        ["GET /api/v1/reports/response-times"] = Supervisors(Read),
        ["GET /api/v1/reports/sla-compliance"] = Supervisors(Read),
        ["GET /api/v1/reports/volume"] = Supervisors(Read),
        ["GET /api/v1/sla/watch"] = Supervisors(Read),
        ["GET /api/v1/teams"] = Staff(Read),
        ["GET /api/v1/widget/config/{inboxId:guid}"] = Anyone,
        ["GET /api/v1/widget/kb/articles/{locale}/{slug}"] = Anyone,
        ["GET /api/v1/widget/kb/search"] = Anyone,
        ["GET /culture/{culture}"] = Anyone,
        ["GET /files/{key}"] = SelfChecked, // visitor token or staff sign-in against the file's conversation (IdorTests)
        ["GET /openapi/{documentName}.json"] = Anyone,
        ["GET /scalar/favicon.svg"] = Anyone,
        ["GET /scalar/scalar.aspnetcore.js"] = Anyone,
        ["GET /scalar/scalar.js"] = Anyone,
        ["GET /scalar/{documentName?}"] = Anyone,
        ["GET /webhooks/{channel}/{inboxId:guid}/"] = SelfChecked, // provider handshakes: verify tokens themselves
        ["GET /widget-demo"] = Anyone,
        ["GET,HEAD {**path:file}"] = Staff(Read), // Blazor's framework files fallback
        ["GET,POST /"] = Staff(Read), // pages: GET needs read; their form posts need write
        ["GET,POST /account/login"] = Anyone,
        ["GET,POST /console"] = Staff(Read),
        ["GET,POST /error"] = Anyone,
        ["GET,POST /help"] = Anyone,
        ["GET,POST /help/search"] = Anyone,
        ["GET,POST /help/{Locale}"] = Anyone,
        ["GET,POST /help/{Locale}/{Category}"] = Anyone,
        ["GET,POST /help/{Locale}/{Category}/{Slug}"] = Anyone,
        ["GET,POST /settings/api-tokens"] = Staff(Read),
        ["GET,POST /supervisor"] = Supervisors(Read),
        ["GET,POST /reports"] = Supervisors(Read),
        ["POST /account/logout"] = Staff(Write),
        ["POST /account/signin"] = Anyone,
        ["POST /api/v1/admin/business-hours"] = Admins(Admin),
        ["POST /api/v1/admin/sla-policies"] = Admins(Admin),
        ["POST /api/v1/canned-responses/"] = Supervisors(Write),
        ["POST /api/v1/conversations/{id:guid}/attachments"] = Staff(Write),
        ["POST /api/v1/conversations/{id:guid}/messages"] = Staff(Write),
        ["POST /api/v1/email/quarantine/{id:guid}/reprocess"] = Admins(Admin),
        ["POST /api/v1/kb/related"] = Staff(Write),
        ["POST /api/v1/widget/attachments"] = SelfChecked, // visitor token checked inside (WidgetAttachmentTests)
        ["POST /api/v1/widget/sessions"] = Anyone,
        ["POST /webhooks/{channel}/{inboxId:guid}/"] = SelfChecked, // provider signatures (WebhookEndpoints tests)
        ["PUT /api/v1/admin/business-hours/{id:guid}"] = Admins(Admin),
        ["PUT /api/v1/admin/sla-policies/{id:guid}"] = Admins(Admin),
        ["PUT /api/v1/admin/teams/{teamId:guid}/business-hours"] = Admins(Admin),
        ["PUT /api/v1/canned-responses/{id:guid}"] = Supervisors(Write),
        ["POST /api/v1/widget/offline-messages"] = SelfChecked, // visitor token checked inside (OfflineFormAndTranscriptTests)
        ["POST /account/2fa"] = Anyone, // second sign-in step: the pending 2FA cookie is checked inside
        ["GET /api/v1/account/2fa/"] = Staff(Read),
        ["POST /api/v1/account/2fa/setup"] = Staff(Write),
        ["POST /api/v1/account/2fa/enable"] = Staff(Write),
        ["POST /api/v1/account/2fa/recovery-codes"] = Staff(Write),
        ["POST /api/v1/account/2fa/disable"] = Staff(Write),
        ["GET /api/v1/conversations/{id:guid}/transcript"] = Staff(Read),
        ["GET /api/v1/webhook-subscriptions/"] = Admins(Admin),
        ["POST /api/v1/webhook-subscriptions/"] = Admins(Admin),
        ["PUT /api/v1/webhook-subscriptions/{id:guid}"] = Admins(Admin),
        ["DELETE /api/v1/webhook-subscriptions/{id:guid}"] = Admins(Admin),
        ["POST /api/v1/webhook-subscriptions/{id:guid}/rotate-secret"] = Admins(Admin),
        ["POST /api/v1/webhook-subscriptions/{id:guid}/test"] = Admins(Admin),
        ["GET /api/v1/webhook-subscriptions/{id:guid}/deliveries"] = Admins(Admin),
        ["GET /api/v1/audit/"] = Admins(Admin),
        ["GET /api/v1/audit/export"] = Admins(Admin),
        ["GET /api/v1/contacts/{id:guid}/export"] = Supervisors(Read),
        ["POST /api/v1/contacts/{id:guid}/erase"] = Supervisors(Write),
        ["GET /api/v1/reports/csat"] = Supervisors(Read),
        ["GET /api/v1/reports/agents"] = Supervisors(Read),
        ["GET /api/v1/reports/conversations.csv"] = Supervisors(Read),
        ["GET,POST /account/security"] = Staff(Read),
        ["GET,POST /account/2fa"] = Anyone,
        ["GET,POST /admin/automation"] = Admins(Admin),
        ["GET,POST /admin/audit"] = Admins(Admin),
        ["GET,POST /admin/webhooks"] = Admins(Admin),
        ["GET,POST /console/conversations/{Id:guid}/transcript"] = Staff(Read),
        // END ENDPOINTS
    };

    /// <summary>"Hub.Method" → who may call it (the hub's connection rule is the hub's endpoints' lines above).</summary>
    public static readonly IReadOnlyDictionary<string, Rule> HubMethods = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        // BEGIN HUB METHODS (one line per method; keep sorted)
        ["AgentHub.AcceptOffer"] = Staff(Write),
        ["AgentHub.AddTag"] = Staff(Write),
        ["AgentHub.Assign"] = Staff(Write),
        ["AgentHub.DeclineOffer"] = Staff(Write),
        ["AgentHub.GetConversation"] = Staff(Read),
        ["AgentHub.GetCounts"] = Staff(Read),
        ["AgentHub.GetSignature"] = Staff(Read),
        ["AgentHub.GetSupervisorSnapshot"] = Supervisors(Read),
        ["AgentHub.ListAgents"] = Staff(Read),
        ["AgentHub.ListCannedResponses"] = Staff(Read),
        ["AgentHub.ListConversations"] = Staff(Read),
        ["AgentHub.ListTeams"] = Staff(Read),
        ["AgentHub.ListTemplates"] = Staff(Read),
        ["AgentHub.Me"] = Staff(Read),
        ["AgentHub.Merge"] = Staff(Write),
        ["AgentHub.MergeCandidates"] = Staff(Read),
        ["AgentHub.RemoveTag"] = Staff(Write),
        ["AgentHub.SendReply"] = Staff(Write),
        ["AgentHub.SendTemplate"] = Staff(Write),
        ["AgentHub.SetAgentPresence"] = Supervisors(Write),
        ["AgentHub.SetPresence"] = Staff(Write),
        ["AgentHub.SetPriority"] = Staff(Write),
        ["AgentHub.SetSignature"] = Staff(Write),
        ["AgentHub.SetStatus"] = Staff(Write),
        ["AgentHub.Transfer"] = Staff(Write),
        ["AgentHub.Typing"] = Staff(Write),
        ["AgentHub.Unwatch"] = Staff(Read),
        ["AgentHub.Watch"] = Staff(Read),
        ["ChatHub.EndChat"] = Visitor,
        ["ChatHub.GetChatState"] = Visitor,
        ["ChatHub.GetHistory"] = Visitor,
        ["ChatHub.RateConversation"] = Visitor,
        ["ChatHub.SendMessage"] = Visitor,
        ["ChatHub.Typing"] = Visitor,
        ["ChatHub.RequestTranscript"] = Visitor,
        ["ChatHub.MarkRead"] = Visitor,
        ["AgentHub.ListCustomStatuses"] = Staff(Read),
        ["AgentHub.SetCustomStatus"] = Staff(Write),
        ["AgentHub.ListMacros"] = Staff(Read),
        ["AgentHub.ApplyMacro"] = Staff(Write),
        ["AgentHub.ListConversationsFiltered"] = Staff(Read),
        ["AgentHub.PageConversations"] = Staff(Read),
        ["AgentHub.EarlierMessages"] = Staff(Read),
        ["AgentHub.GetContact"] = Staff(Read),
        ["AgentHub.ContactDuplicates"] = Staff(Read),
        ["AgentHub.EditContact"] = Staff(Write),
        ["AgentHub.MergeContacts"] = Staff(Write),
        ["AgentHub.GetAssist"] = Staff(Read),
        ["AgentHub.DraftReply"] = Staff(Write),
        // END HUB METHODS
    };

    private static readonly Caller[] Callers = Enum.GetValues<Caller>();

    [Fact]
    public async Task EveryEndpoint_EveryCaller_MatchesTheTable()
    {
        var endpoints = MappedEndpoints();
        var missing = endpoints.Where(e => !Endpoints.ContainsKey(e.Key)).ToList();
        var stale = Endpoints.Keys.Except(endpoints.Select(e => e.Key)).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Declare these endpoints in AuthorizationMatrixTests.Endpoints (suggested from their metadata):\n{string.Join('\n', missing.Select(e => $"        [\"{e.Key}\"] = {Suggest(e.Endpoint)},"))}" +
            $"\nNo longer mapped (remove): {string.Join(", ", stale)}");

        var failures = new List<string>();
        foreach (var (key, endpoint) in endpoints)
        {
            var rule = Endpoints[key];
            if (rule.Audience == Who.SelfChecked)
            {
                if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
                {
                    failures.Add($"{key}: declared SelfChecked but not AllowAnonymous");
                }

                continue;
            }

            foreach (var caller in Callers)
            {
                var (denied, status) = await CallAsync(caller, key, (RouteEndpoint)endpoint);
                if (denied == rule.Allows(caller))
                {
                    failures.Add($"{key} as {caller}: expected {(rule.Allows(caller) ? "allowed" : "denied")}, got {status}");
                }
                else if (status >= 500)
                {
                    failures.Add($"{key} as {caller}: {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task EveryHubMethod_EveryCaller_MatchesTheTable()
    {
        var methods = MappedHubMethods();
        var missing = methods.Keys.Except(HubMethods.Keys).ToList();
        var stale = HubMethods.Keys.Except(methods.Keys).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Declare these hub methods in AuthorizationMatrixTests.HubMethods:\n{string.Join('\n', missing.Select(m => $"        [\"{m}\"] = {SuggestHub(methods[m].Hub, methods[m].Method)},"))}" +
            $"\nNo longer on a hub (remove): {string.Join(", ", stale)}");

        var failures = new List<string>();
        foreach (var hub in methods.Values.Select(m => (m.Hub, m.Path)).Distinct())
        {
            foreach (var caller in Callers)
            {
                HubConnection? connection = null;
                foreach (var (key, (_, _, method)) in methods.Where(m => m.Value.Hub == hub.Hub).OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    var rule = HubMethods[key];
                    if (connection?.State != HubConnectionState.Connected)
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                        }

                        connection = await ConnectAsync(caller, hub.Path);
                    }

                    string outcome;
                    bool denied;
                    if (connection is null)
                    {
                        (denied, outcome) = (true, "connection refused");
                    }
                    else
                    {
                        (denied, outcome) = await InvokeAsync(connection, method);
                    }

                    if (denied == rule.Allows(caller))
                    {
                        failures.Add($"{key} as {caller}: expected {(rule.Allows(caller) ? "allowed" : "denied")}, got {outcome}");
                    }
                }

                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private List<(string Key, Endpoint Endpoint)> MappedEndpoints() =>
        world.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !IsStaticAsset(e))
            .Select(e => (Key: KeyOf(e), Endpoint: (Endpoint)e))
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();

    // MapStaticAssets: one endpoint per file of wwwroot and the packages' content, all anonymous by design.
    private static bool IsStaticAsset(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().FullName == "Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor");

    private static string KeyOf(RouteEndpoint e)
    {
        var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is { Count: > 0 } ? string.Join(",", methods) : "*")} {e.RoutePattern.RawText}";
    }

    private Dictionary<string, (Type Hub, string Path, MethodInfo Method)> MappedHubMethods()
    {
        var hubs = world.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Hub: e.Metadata.GetMetadata<HubMetadata>()?.HubType, Path: e.RoutePattern.RawText!))
            // Blazor's own ComponentHub is the framework's: its gate is the /_blazor lines of the endpoint table.
            .Where(h => h.Hub is not null && !h.Path.EndsWith("/negotiate", StringComparison.Ordinal) && h.Hub.Namespace?.StartsWith("ContactCenter", StringComparison.Ordinal) == true)
            .Select(h => (Hub: h.Hub!, h.Path))
            .Distinct();
        var result = new Dictionary<string, (Type, string, MethodInfo)>(StringComparer.Ordinal);
        foreach (var (hub, path) in hubs)
        {
            foreach (var method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                         .Where(m => !m.IsSpecialName && m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose")))
            {
                result[$"{hub.Name}.{method.Name}"] = (hub, path, method);
            }
        }

        return result;
    }

    /// <summary>Sends the request with placeholder route values and no body: authorisation answers before binding.</summary>
    private async Task<(bool Denied, int Status)> CallAsync(Caller caller, string key, RouteEndpoint endpoint)
    {
        var method = key[..key.IndexOf(' ', StringComparison.Ordinal)].Split(',')[0];
        var url = Placeholders(endpoint.RoutePattern.RawText!);
        using var client = world.Client(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), url.TrimStart('/'));
        if (method is "POST" or "PUT" or "PATCH")
        {
            // The content type the endpoint accepts (a form endpoint with JSON would not even match the route).
            var accepts = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
            request.Content = new StringContent("", Encoding.UTF8, accepts);
        }

        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.ToString() ?? "";
        var denied = status is 401 or 403
            || (status == 302 && (location.Contains("/account/login?ReturnUrl", StringComparison.Ordinal) || location.Contains("/account/denied", StringComparison.Ordinal)));
        return (denied, status);
    }

    private static string Placeholders(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*?\*?(\w+)(:[^}]*)?\}", m =>
            m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
            : m.Groups[1].Value switch
            {
                "channel" => "telegram",
                "locale" => "en",
                "culture" => "en",
                _ => "x",
            });

    private async Task<HubConnection?> ConnectAsync(Caller caller, string path)
    {
        var connection = world.Hub(caller, path);
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
            return connection;
        }
        catch (Exception e) when (e is HttpRequestException or HubException or InvalidOperationException or IOException or TimeoutException)
        {
            await connection.DisposeAsync();
            return null;
        }
    }

    /// <summary>Invokes with placeholder arguments: forbidden answers come before any lookup, so not-found and validation errors mean "allowed".</summary>
    private async Task<(bool Denied, string Outcome)> InvokeAsync(HubConnection connection, MethodInfo method)
    {
        var isService = world.Host.Services.GetRequiredService<IServiceProviderIsService>();
        var args = method.GetParameters()
            .Where(p => p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromServicesAttribute>() is null && !isService.IsService(p.ParameterType)
                        && p.ParameterType != typeof(CancellationToken))
            .Select(p => Placeholder(p.ParameterType))
            .ToArray();
        try
        {
            await connection.InvokeCoreAsync(method.Name, typeof(object), args).WaitAsync(TimeSpan.FromSeconds(15));
            return (false, "ok");
        }
        catch (HubException e)
        {
            var message = e.Message;
            var denied = message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) || message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase);
            return (denied, message);
        }
    }

    private static object? Placeholder(Type type) =>
        type == typeof(Guid) ? Guid.NewGuid()
        : type == typeof(string) ? "x"
        : type == typeof(bool) ? false
        : type == typeof(int) ? 1
        : type.IsEnum ? Enum.GetValues(type).GetValue(0)
        : null;

    private Rule SuggestHub(Type hub, MethodInfo method)
    {
        var scope = ApiScopeEnforcement.RequiredScope(method);
        var authorize = hub.GetCustomAttribute<AuthorizeAttribute>();
        return authorize?.Policy == Policies.Visitor ? Visitor : authorize is null ? Anyone : Staff(scope);
    }

    private Rule Suggest(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Anyone;
        }

        var provider = world.Host.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = AuthorizationPolicy.CombineAsync(provider, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>())
            .GetAwaiter().GetResult();
        var roles = policy?.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToHashSet() ?? [];
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
        if (policy?.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>().Any(c => c.ClaimType == VisitorClaims.ContactId) == true)
        {
            return Visitor;
        }

        if (roles.SetEquals([Roles.Admin]))
        {
            return Admins(Admin);
        }

        var scope = endpoint.Metadata.GetMetadata<RequiresScopeAttribute>()?.Scope
            ?? (endpoint.Metadata.GetMetadata<HubMetadata>() is not null || methods.All(m => m is "GET" or "HEAD") && methods.Count > 0 ? Read : Write);
        return roles.SetEquals([Roles.Admin, Roles.Supervisor]) ? Supervisors(scope) : Staff(scope);
    }
}
