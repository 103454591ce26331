using System.Security.Cryptography;
using ContactCenter.Application;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Infrastructure.Persistence;
using ContactCenter.Infrastructure.Seed;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Bench;

internal sealed record BenchAgent(int Index, Guid AgentId, string Token, int Team);

internal sealed record BenchSetup(string Tag, IReadOnlyList<Guid> InboxIds, IReadOnlyList<BenchAgent> Agents, int LiveCapacity);

internal sealed record StoredMessage(Guid Id, Guid ConversationId, bool Inbound, string? ExternalId);

internal sealed record StoredConversation(Guid Id, Guid ContactId, Guid? AssigneeId);

/// <summary>
/// The product's own services (Application + Infrastructure) over the SQLite file the server uses,
/// without the web host: the bench prepares the company it needs before the server starts, and reads
/// what was stored at the end.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchDatabase(IHost host) => _host = host;

    /// <summary>The product's services over the bench database (in-process scenarios call Application use cases directly).</summary>
    public IServiceProvider Services => _host.Services;

    public static async Task<BenchDatabase> OpenAsync(string connectionString, string contentRoot, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Production",
            ContentRootPath = contentRoot,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ContactCenter"] = connectionString,
            ["Database:Provider"] = "Sqlite",
            ["Seed:Demo"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.AddApplication();
        builder.AddInfrastructure();
        builder.Services.AddSingleton(_ => NoPushes.Create());
        var host = builder.Build();
        var db = new BenchDatabase(host);
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        return db;
    }

    /// <summary>Teams, one web chat inbox per team, agents (round-robin over the teams) with an API token each.</summary>
    public async Task<BenchSetup> SeedAsync(int teams, int agents, int liveCapacity, bool offers, Action<string> progress, CancellationToken cancellationToken)
    {
        var tag = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        var teamIds = new List<TeamId>();
        var inboxIds = new List<Guid>();
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            for (var t = 0; t < teams; t++)
            {
                var team = Team.Create($"Bench {tag} team {t + 1}", "Created by bench/ContactCenter.Bench").Value;
                if (offers && !team.ConfigureOffers(AssignmentMode.Offer, 30).IsSuccess)
                {
                    throw new BenchFailedException("Could not put the bench team in offer mode.");
                }

                var inbox = Inbox.Create($"Bench chat {t + 1} ({tag})", ChannelKind.WebChat, team.Id).Value;
                db.Teams.Add(team);
                db.Inboxes.Add(inbox);
                teamIds.Add(team.Id);
                inboxIds.Add(inbox.Id.Value);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        // Accounts, agent profiles and tokens in batches (one transaction each): per-row commits through
        // UserManager take ~10 ms each on SQLite, minutes for 1,300 agents. The rows are what UserManager
        // (normalised names, security stamp, the Agent role) and ApiTokenService (a "cc_" token stored as its
        // SHA-256) write; bench agents have no password and sign in with their token only.
        var result = new List<BenchAgent>(agents);
        const int batch = 250;
        string agentRoleId;
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            agentRoleId = (await roles.FindByNameAsync(Roles.Agent))?.Id
                ?? throw new BenchFailedException("The Agent role is missing after database initialisation.");
        }

        for (var start = 0; start < agents; start += batch)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var db = scope.ServiceProvider.GetRequiredService<ContactCenterDbContext>();
            var now = DateTimeOffset.UtcNow;
            for (var i = start; i < Math.Min(agents, start + batch); i++)
            {
                var email = $"agent{i + 1}.{tag}@bench.local";
                var name = $"Bench agent {i + 1}";
                var user = new ApplicationUser
                {
                    UserName = email,
                    NormalizedUserName = users.NormalizeName(email),
                    Email = email,
                    NormalizedEmail = users.NormalizeEmail(email),
                    EmailConfirmed = true,
                    DisplayName = name,
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                };
                db.Users.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = agentRoleId });
                var team = i % teams;
                var agent = Agent.Create(user.Id, name, email, StaffRole.Agent, new Capacity(liveCapacity, 10), now).Value;
                agent.JoinTeam(teamIds[team]);
                db.Agents.Add(agent);
                var token = ApiTokenService.Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
                db.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "bench", Scopes = ApiScopes.Write, TokenHash = ApiTokenService.Hash(token), CreatedAt = now });
                result.Add(new BenchAgent(i, agent.Id.Value, token, team));
            }

            await db.SaveChangesAsync(cancellationToken);
            progress($"  {result.Count}/{agents} agents created");
        }

        return new BenchSetup(tag, inboxIds, result, liveCapacity);
    }

    /// <summary>Gives bench agents a password (they normally sign in with their token only), for browser sign-ins; returns their emails.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordsAsync(IReadOnlyList<BenchAgent> agents, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var emails = new List<string>(agents.Count);
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ContactCenterDbContext>();
        foreach (var agent in agents)
        {
            var userId = await db.Agents.AsNoTracking().Where(a => a.Id == new AgentId(agent.AgentId)).Select(a => a.UserId).SingleAsync(cancellationToken);
            var user = await users.FindByIdAsync(userId) ?? throw new BenchFailedException($"No account for bench agent {agent.Index}.");
            var added = await users.AddPasswordAsync(user, password);
            if (!added.Succeeded)
            {
                throw new BenchFailedException("Could not set a bench agent's password: " + string.Join("; ", added.Errors.Select(e => e.Description)));
            }

            emails.Add(user.Email!);
        }

        return emails;
    }

    /// <summary>
    /// Waiting conversations made by the product's own ingest use case (what /hubs/chat's SendMessage calls),
    /// run in the bench process in batches of one transaction: widget visitors' first messages, as the hub
    /// would store them, far faster than thousands of sessions and connections. Returns the contact ids.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> CreateWaitingConversationsAsync(IReadOnlyList<Guid> inboxIds, int count, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        ArgumentNullException.ThrowIfNull(progress);
        var contacts = new List<Guid>(count);
        const int batch = 200;
        for (var start = 0; start < count; start += batch)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ContactCenterDbContext>();
            var ingest = scope.ServiceProvider.GetRequiredService<ReceiveInboundMessageHandler>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var visitorId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                var clientId = $"b{i}";
                var result = await ingest.HandleAsync(
                    new InboundMessage(
                        new InboxId(inboxIds[i % inboxIds.Count]),
                        ContactIdentity.Create(IdentityKind.WidgetVisitor, visitorId),
                        $"Bench customer {i + 1}",
                        WidgetMessageIds.Compose(visitorId, clientId),
                        $"Hello, I need help with my order ({clientId})."),
                    cancellationToken);
                if (!result.IsSuccess)
                {
                    throw new BenchFailedException($"Creating a waiting conversation failed: {result.Error!.Code}: {result.Error.Message}");
                }

                contacts.Add(result.Value.ContactId.Value);
            }

            await transaction.CommitAsync(cancellationToken);
            if (contacts.Count % 1000 < batch || contacts.Count == count)
            {
                progress($"  {contacts.Count}/{count} waiting");
            }
        }

        return contacts;
    }

    /// <summary>One inbox of a messaging channel with the given settings (secrets by configuration key), routed to the first team when asked.</summary>
    public async Task<Guid> CreateInboxAsync(ChannelKind channel, IReadOnlyDictionary<string, string> settings, bool firstTeam, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var team = firstTeam ? await db.Teams.AsNoTracking().Select(t => (TeamId?)t.Id).FirstOrDefaultAsync(cancellationToken) : null;
        var inbox = Inbox.Create($"Bench {channel}", channel, team).Value;
        foreach (var (key, value) in settings)
        {
            inbox.SetSetting(key, value);
        }

        db.Inboxes.Add(inbox);
        await db.SaveChangesAsync(cancellationToken);
        return inbox.Id.Value;
    }

    /// <summary>An email inbox receiving mail for <paramref name="address"/> (its SMTP RCPT TO), routed to the first team.</summary>
    public Task<Guid> CreateEmailInboxAsync(string address, CancellationToken cancellationToken) =>
        CreateInboxAsync(ChannelKind.Email, new Dictionary<string, string> { ["address"] = address }, firstTeam: true, cancellationToken);

    public async Task<IReadOnlyList<StoredMessage>> MessagesAsync(IReadOnlyCollection<Guid> inboxIds, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var ids = inboxIds.Select(i => new InboxId(i)).ToList();
        var rows = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.InboxId))
            .Select(m => new { m.Id, m.ConversationId, m.Direction, m.ExternalId })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new StoredMessage(r.Id.Value, r.ConversationId.Value, r.Direction == MessageDirection.Inbound, r.ExternalId)).ToList();
    }

    public async Task<IReadOnlyList<StoredConversation>> ConversationsAsync(IReadOnlyCollection<Guid> inboxIds, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var ids = inboxIds.Select(i => new InboxId(i)).ToList();
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => ids.Contains(c.InboxId))
            .Select(c => new { c.Id, c.ContactId, c.AssigneeId })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new StoredConversation(r.Id.Value, r.ContactId.Value, r.AssigneeId?.Value)).ToList();
    }

    /// <summary>
    /// Assignments made from a stale state: replaying each conversation's Assigned/Unassigned history, an
    /// Assigned entry whose "from" is not the assignee the history says the conversation had means two writers
    /// assigned it from the same state (a lost update between nodes).
    /// </summary>
    public async Task<int> AssignmentsFromStaleStateAsync(IReadOnlyCollection<Guid> inboxIds, CancellationToken cancellationToken)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var ids = inboxIds.Select(i => new InboxId(i)).ToList();
        var agentByName = (await db.Agents.AsNoTracking().Select(a => new { a.Id, a.DisplayName }).ToListAsync(cancellationToken))
            .GroupBy(a => a.DisplayName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id.ToString(), StringComparer.Ordinal);
        var conversationIds = db.Conversations.Where(c => ids.Contains(c.InboxId)).Select(c => c.Id);
        var entries = await db.Timeline.AsNoTracking()
            .Where(t => (t.Kind == TimelineKind.Assigned || t.Kind == TimelineKind.Unassigned) && conversationIds.Contains(t.ConversationId))
            .Select(t => new { t.ConversationId, t.Kind, t.From, t.To, t.OccurredAt, t.Id })
            .ToListAsync(cancellationToken);
        var stale = 0;
        foreach (var history in entries.GroupBy(e => e.ConversationId))
        {
            string? current = null;
            foreach (var e in history.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id))
            {
                if (e.Kind == TimelineKind.Unassigned)
                {
                    current = null;
                    continue;
                }

                if (!string.Equals(e.From, current, StringComparison.Ordinal))
                {
                    stale++;
                }

                current = e.To is not null && agentByName.TryGetValue(e.To, out var id) ? id : e.To;
            }
        }

        return stale;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new BenchFailedException("Creating a bench agent failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable async)
        {
            await async.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The bench's own copy of the services pushes nothing (the server does that). A proxy rather than a
    /// class, so that new notifier methods in the product never break the bench's build.
    /// </summary>
    internal class NoPushes : System.Reflection.DispatchProxy
    {
        public static IRealtimeNotifier Create() => Create<IRealtimeNotifier, NoPushes>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.ReturnType == typeof(Task) ? Task.CompletedTask
            : targetMethod?.ReturnType == typeof(ValueTask) ? ValueTask.CompletedTask
            : null;
    }
}
