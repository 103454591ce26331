using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Agents;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Common;
using ContactCenter.Application.Supervision;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Application.Tests.Supervision;

/// <summary>The dashboard's service level, abandoned counts and waiting lists over a real SQLite file with a fake clock.</summary>
public sealed class SupervisorQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _chat = default!;
    private Inbox _email = default!;
    private Agent _answering = default!;
    private long _number;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?> { ["Supervisor:ServiceLevel:LiveTargetSeconds"] = "20", ["Supervisor:ServiceLevel:AsyncTargetSeconds"] = "3600", ["Supervisor:ServiceLevel:GoalPercent"] = "80" },
            services => services.AddSingleton<TimeProvider>(_time));
        _support = Team.Create("Support").Value;
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, _support.Id).Value;
        _email = Inbox.Create("Mail", ChannelKind.Email, _support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_support);
            db.Inboxes.AddRange(_chat, _email);
            return await db.SaveChangesAsync();
        });
        _answering = await AgentAsync("answering", StaffRole.Agent);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Snapshot_QueueOfTheLastDay_ServiceLevelAbandonedAndWaitingList()
    {
        await ConversationAsync(_chat, ago: TimeSpan.FromMinutes(10), answeredAfter: 10);                     // met
        await ConversationAsync(_chat, ago: TimeSpan.FromMinutes(10), answeredAfter: 60);                     // missed
        await ConversationAsync(_chat, ago: TimeSpan.FromMinutes(5), endedAfter: 30);                         // abandoned after the target: missed
        await ConversationAsync(_chat, ago: TimeSpan.FromMinutes(5), endedAfter: 5);                          // abandoned within it: not counted
        await ConversationAsync(_chat, ago: TimeSpan.FromDays(2), answeredAfter: 5);                          // outside the window
        var longest = await ConversationAsync(_chat, ago: TimeSpan.FromSeconds(30), subject: "Where is my parcel?"); // waiting past the target: missed
        var recent = await ConversationAsync(_chat, ago: TimeSpan.FromSeconds(5));                            // waiting, not yet due
        await ConversationAsync(_email, ago: TimeSpan.FromHours(3), answeredAfter: 1800);                     // async, met

        var snapshot = await SnapshotAsync();

        var queue = Assert.Single(snapshot.Queues, q => q.TeamId == _support.Id.Value);
        Assert.Equal(24, snapshot.ServiceLevelWindowHours);
        Assert.Equal((1, 4, 20, 80), (queue.LiveServiceLevel!.Met, queue.LiveServiceLevel.Counted, queue.LiveServiceLevel.TargetSeconds, queue.LiveServiceLevel.GoalPercent));
        Assert.Equal(25, queue.LiveServiceLevel.Percent);
        Assert.True(queue.LiveServiceLevel.BelowGoal);
        Assert.Equal((1, 1, 3600), (queue.AsyncServiceLevel!.Met, queue.AsyncServiceLevel.Counted, queue.AsyncServiceLevel.TargetSeconds));
        Assert.Equal(2, queue.Abandoned);
        Assert.Equal(2, queue.Waiting);
        Assert.Equal([longest.Id.Value, recent.Id.Value], queue.WaitingList!.Select(w => w.Id));
        Assert.Equal("Where is my parcel?", queue.WaitingList![0].Subject);
        Assert.Equal(Now.AddSeconds(-30), queue.WaitingList[0].WaitingSince);
    }

    [Fact]
    public async Task Snapshot_QuietQueue_HasNoServiceLevelYet()
    {
        await ConversationAsync(_chat, ago: TimeSpan.FromDays(3), answeredAfter: 5);

        var queue = Assert.Single((await SnapshotAsync()).Queues, q => q.TeamId == _support.Id.Value);

        Assert.Null(queue.LiveServiceLevel);
        Assert.Null(queue.AsyncServiceLevel);
        Assert.Equal(0, queue.Abandoned);
        Assert.Empty(queue.WaitingList!);
    }

    [Fact]
    public async Task SupervisorSetPresence_BySupervisor_ChangesTheAgentAndAudits()
    {
        var agent = await AgentAsync("alice", StaffRole.Agent);
        var supervisor = await AgentAsync("sam", StaffRole.Supervisor);

        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<SupervisorSetPresenceHandler>().HandleAsync(
            StaffMember.From(supervisor), new AuditActor(supervisor.UserId, "sam", "127.0.0.1"), agent.Id, Presence.Away, "Training", CancellationToken.None));

        Assert.True(result.IsSuccess);
        var stored = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking().SingleAsync(a => a.Id == agent.Id));
        Assert.Equal((Presence.Away, "Training"), (stored.Presence, stored.AwayReason));
        var audit = await _db.InScopeAsync(sp => sp.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(AuditActions.AgentPresenceSet), CancellationToken.None));
        var entry = Assert.Single(audit);
        Assert.Equal((agent.Id.Value.ToString(), "sam"), (entry.Target, entry.ActorName));
        Assert.Contains("\"to\":\"Away\"", entry.Details, StringComparison.Ordinal);
        Assert.Contains("\"from\":\"Online\"", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupervisorSetPresence_ByAnAgent_IsForbiddenAndChangesNothing()
    {
        var agent = await AgentAsync("alice", StaffRole.Agent);
        var colleague = await AgentAsync("bob", StaffRole.Agent);

        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<SupervisorSetPresenceHandler>().HandleAsync(
            StaffMember.From(colleague), new AuditActor(colleague.UserId, "bob", null), agent.Id, Presence.Offline, null, CancellationToken.None));

        Assert.Equal("forbidden", result.Error!.Code);
        var stored = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Agents.AsNoTracking().SingleAsync(a => a.Id == agent.Id));
        Assert.Equal(Presence.Online, stored.Presence);
        Assert.Empty(await _db.InScopeAsync(sp => sp.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(AuditActions.AgentPresenceSet), CancellationToken.None)));
    }

    private Task<SupervisorSnapshot> SnapshotAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<SupervisorQueries>().SnapshotAsync(CancellationToken.None));

    private async Task<Conversation> ConversationAsync(Inbox inbox, TimeSpan ago, double? answeredAfter = null, double? endedAfter = null, string subject = "Help")
    {
        var created = Now - ago;
        var number = ++_number;
        return await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var contact = Contact.Create($"Customer {number}", ContactIdentity.Create(inbox.Channel.IdentityKind(), $"c{number}@t.local"), created);
            var conversation = Conversation.Open(number, inbox.Id, inbox.Channel, contact.Id, subject, inbox.DefaultTeamId, Actor.Contact(contact.Id, contact.Name), created);
            if (answeredAfter is { } answered)
            {
                var at = created.AddSeconds(answered);
                Assert.True(conversation.Assign(_answering.Id, _answering.DisplayName, Actor.System, at).IsSuccess);
                Assert.True(conversation.ReplyFromAgent(_answering.Id, _answering.DisplayName, new MessageContent("Hello!"), false, null, at).IsSuccess);
            }

            if (endedAfter is { } ended)
            {
                Assert.True(conversation.ChangeStatus(ConversationStatus.Resolved, Actor.Contact(contact.Id, "c"), created.AddSeconds(ended)).IsSuccess);
            }

            db.Contacts.Add(contact);
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation;
        });
    }

    private async Task<Agent> AgentAsync(string name, StaffRole role) =>
        await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
            Assert.True((await users.CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, name, user.Email, role, new Capacity(3, 10), Now).Value;
            agent.SetPresence(Presence.Online, null, Now);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });
}
