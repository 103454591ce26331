using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Assign;
using ContactCenter.Application.Conversations.ChangeStatus;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
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

namespace ContactCenter.Application.Tests.Conversations;

/// <summary>Use cases over a real SQLite file with the real router running.</summary>
public sealed class RoutingAndIngestTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _chat = default!;
    private Inbox _email = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(new Dictionary<string, string?> { ["Routing:SweepInterval"] = "00:00:01" });
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
        await _db.StartAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<Agent> AgentAsync(string name, Presence presence, int liveCapacity = 3, StaffRole role = StaffRole.Agent)
    {
        return await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
            Assert.True((await users.CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, name, user.Email, role, new Capacity(liveCapacity, 10), DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(_support.Id);
            agent.SetPresence(presence, null, DateTimeOffset.UtcNow);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });
    }

    private Task<Result<InboundResult>> ReceiveAsync(Inbox inbox, string who, string? externalId, string text, ConversationId? thread = null) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), who), who, externalId, text, ThreadConversationId: thread),
            CancellationToken.None));

    private Task<List<Conversation>> ConversationsAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().ToListAsync());

    [Fact]
    public async Task NewChat_WithOnlineAgents_GoesToTheLeastBusy()
    {
        var busy = await AgentAsync("busy", Presence.Online);
        var free = await AgentAsync("free", Presence.Online);
        await AgentAsync("away", Presence.Away);
        var first = await ReceiveAsync(_chat, "v0", "m0", "first");
        await Waits.UntilAsync(async () => (await ConversationsAsync()).All(c => c.AssigneeId != null), "the first chat to be assigned");
        var firstAgent = (await ConversationsAsync()).Single().AssigneeId;

        var second = await ReceiveAsync(_chat, "v1", "m1", "second");
        await Waits.UntilAsync(async () => (await ConversationsAsync()).All(c => c.AssigneeId != null), "the second chat to be assigned");
        var all = await ConversationsAsync();
        var secondAgent = all.Single(c => c.Id == second.Value.ConversationId).AssigneeId;
        Assert.NotEqual(firstAgent, secondAgent);
        Assert.Contains(secondAgent, new AgentId?[] { busy.Id, free.Id });
        Assert.All(all, c => Assert.Null(c.WaitingSince));
        _ = first;
    }

    [Fact]
    public async Task Chats_BeyondCapacity_WaitInQueue_AndAreRoutedWhenCapacityFrees()
    {
        var agent = await AgentAsync("solo", Presence.Online, liveCapacity: 2);
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await ReceiveAsync(_chat, $"v{i}", $"m{i}", "help")).IsSuccess);
        }

        await Waits.UntilAsync(async () => (await ConversationsAsync()).Count(c => c.AssigneeId == agent.Id) == 2, "two chats to be assigned");
        // The sweep runs every second: give it a few passes to (wrongly) exceed capacity.
        var router = _db.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
        var passes = router.Passes;
        await Waits.UntilAsync(() => Task.FromResult(router.Passes >= passes + 2), "two more routing passes");
        var all = await ConversationsAsync();
        Assert.Equal(2, all.Count(c => c.AssigneeId == agent.Id));
        Assert.Equal(2, all.Count(c => c.AssigneeId is null && c.WaitingSince is not null));

        var staff = StaffMember.From(agent);
        var done = all.First(c => c.AssigneeId == agent.Id);
        var resolved = await _db.InScopeAsync(sp => sp.GetRequiredService<ChangeConversationStatusHandler>()
            .HandleAsync(staff, new ChangeConversationStatus(done.Id, ConversationStatus.Resolved), CancellationToken.None));
        Assert.True(resolved.IsSuccess);
        await Waits.UntilAsync(async () => (await ConversationsAsync()).Count(c => c.AssigneeId == agent.Id && c.Status == ConversationStatus.Open) == 2, "the freed slot to be filled");
        Assert.Single(await ConversationsAsync(), c => c.AssigneeId is null && c.WaitingSince is not null);
    }

    [Fact]
    public async Task WaitingQueue_ServesHigherPriorityFirst()
    {
        var normal = await ReceiveAsync(_chat, "v-normal", "m1", "normal");
        var urgent = await ReceiveAsync(_chat, "v-urgent", "m2", "urgent");
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var c = await db.Conversations.SingleAsync(x => x.Id == urgent.Value.ConversationId);
            c.ChangePriority(Priority.Urgent, Actor.System, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        var agent = await AgentAsync("one-slot", Presence.Offline, liveCapacity: 1);
        await _db.InScopeAsync(async sp => await sp.GetRequiredService<Agents.SetPresenceHandler>().HandleAsync(agent.Id, Presence.Online, null, CancellationToken.None));
        await Waits.UntilAsync(async () => (await ConversationsAsync()).Any(c => c.AssigneeId != null), "an assignment");
        var all = await ConversationsAsync();
        Assert.Equal(agent.Id, all.Single(c => c.Id == urgent.Value.ConversationId).AssigneeId);
        Assert.Null(all.Single(c => c.Id == normal.Value.ConversationId).AssigneeId);
    }

    [Fact]
    public async Task Email_WithoutThreading_OpensNewTicket_AndThreadedReplyJoinsIt()
    {
        var first = await ReceiveAsync(_email, "maria@example.com", "<a@mail>", "First");
        var second = await ReceiveAsync(_email, "maria@example.com", "<b@mail>", "Unrelated");
        var reply = await ReceiveAsync(_email, "MARIA@example.com", "<c@mail>", "Re: First", first.Value.ConversationId);
        Assert.True(second.Value.NewConversation);
        Assert.NotEqual(first.Value.ConversationId, second.Value.ConversationId);
        Assert.Equal(first.Value.ConversationId, reply.Value.ConversationId);
        Assert.Equal(first.Value.ContactId, reply.Value.ContactId);
    }

    [Fact]
    public async Task Chat_AfterResolve_ReopensSameConversation_AfterClose_OpensNewOne()
    {
        var agent = await AgentAsync("closer", Presence.Offline, role: StaffRole.Supervisor);
        var staff = StaffMember.From(agent);
        var first = await ReceiveAsync(_chat, "v1", "m1", "one");
        var change = (ConversationStatus s) => _db.InScopeAsync(sp => sp.GetRequiredService<ChangeConversationStatusHandler>()
            .HandleAsync(staff, new ChangeConversationStatus(first.Value.ConversationId, s), CancellationToken.None));
        Assert.True((await change(ConversationStatus.Resolved)).IsSuccess);
        var again = await ReceiveAsync(_chat, "v1", "m2", "two");
        Assert.Equal(first.Value.ConversationId, again.Value.ConversationId);
        Assert.Equal(ConversationStatus.Open, (await ConversationsAsync()).Single().Status);

        Assert.True((await change(ConversationStatus.Closed)).IsSuccess);
        var third = await ReceiveAsync(_chat, "v1", "m3", "three");
        Assert.True(third.Value.NewConversation);
        Assert.NotEqual(first.Value.ConversationId, third.Value.ConversationId);
    }

    [Fact]
    public async Task ReceiveInbound_HtmlWithScript_StoredSanitised()
    {
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_email.Id, ContactIdentity.Create(IdentityKind.Email, "x@example.com"), "X", "<h@mail>", "Hi",
                Html: "<p onclick=\"steal()\">Hi<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a></p>"),
            CancellationToken.None));
        var message = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == result.Value.MessageId));
        Assert.DoesNotContain("script", message.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", message.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", message.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hi", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveInbound_UnknownOrDisabledInbox_RefusedAndNothingStored()
    {
        var ghost = Inbox.Create("Ghost", ChannelKind.WebChat, null).Value;
        var result = await ReceiveAsync(ghost, "v1", "m1", "hello?");
        Assert.False(result.IsSuccess);
        Assert.Equal("not_found", result.Error!.Code);
        Assert.Empty(await ConversationsAsync());
    }

    [Fact]
    public async Task Assign_AgentTakingForAnother_Forbidden_SupervisorAllowed()
    {
        var alice = await AgentAsync("alice", Presence.Offline);
        var bob = await AgentAsync("bob", Presence.Offline);
        var sam = await AgentAsync("sam", Presence.Offline, role: StaffRole.Supervisor);
        var chat = await ReceiveAsync(_chat, "v1", "m1", "hello");
        Task<Result> Assign(Agent by, Agent to) => _db.InScopeAsync(sp => sp.GetRequiredService<AssignConversationHandler>()
            .HandleAsync(StaffMember.From(by), new AssignConversation(chat.Value.ConversationId, to.Id), CancellationToken.None));

        Assert.Equal("forbidden", (await Assign(alice, bob)).Error!.Code);
        Assert.True((await Assign(alice, alice)).IsSuccess);
        Assert.True((await Assign(sam, bob)).IsSuccess);
        var stored = (await ConversationsAsync()).Single();
        Assert.Equal(bob.Id, stored.AssigneeId);
        var timeline = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.Kind == TimelineKind.Assigned).OrderBy(t => t.OccurredAt).Select(t => t.ActorName).ToListAsync());
        Assert.Equal(["alice", "sam"], timeline);
    }

    [Fact]
    public async Task Queries_AgentOutsideTeam_DoesNotSeeTeamConversations()
    {
        var billing = Team.Create("Billing").Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(billing);
            return await db.SaveChangesAsync();
        });
        var outsider = await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = "out@t.local", Email = "out@t.local", DisplayName = "Out" };
            await users.CreateAsync(user, "Test-pass-123");
            var agent = Agent.Create(user.Id, "Out", user.Email, StaffRole.Agent, Capacity.Default, DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(billing.Id);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });
        var chat = await ReceiveAsync(_chat, "v1", "m1", "private matter");
        var staff = StaffMember.From(outsider);
        var list = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().ListAsync(staff, new InboxFilter(InboxView.All), CancellationToken.None));
        Assert.Empty(list);
        var detail = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().DetailAsync(staff, chat.Value.ConversationId, 50, CancellationToken.None));
        Assert.Null(detail);
        var reply = await _db.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>().HandleAsync(staff, new SendAgentReply(chat.Value.ConversationId, "hi", false, null), CancellationToken.None));
        Assert.Equal("not_found", reply.Error!.Code);
    }

    [Fact]
    public async Task PendingTicket_ReopenedWhileItsAgentIsOffline_GoesBackToTheQueue()
    {
        var away = await AgentAsync("gone", Presence.Online);
        var first = await ReceiveAsync(_email, "pat@example.com", "<1@mail>", "Where is my refund?");
        await Waits.UntilAsync(async () => (await ConversationsAsync()).Single().AssigneeId == away.Id, "assignment");
        var staff = StaffMember.From(away);
        Assert.True((await _db.InScopeAsync(sp => sp.GetRequiredService<ChangeConversationStatusHandler>()
            .HandleAsync(staff, new ChangeConversationStatus(first.Value.ConversationId, ConversationStatus.Pending), CancellationToken.None))).IsSuccess);
        await _db.InScopeAsync(sp => sp.GetRequiredService<Agents.SetPresenceHandler>().HandleAsync(away.Id, Presence.Offline, null, CancellationToken.None));
        Assert.Equal(away.Id, (await ConversationsAsync()).Single().AssigneeId); // an email ticket stays with its (offline) agent while pending
        var other = await AgentAsync("here", Presence.Online);

        await ReceiveAsync(_email, "pat@example.com", "<2@mail>", "Any news?", first.Value.ConversationId);

        await Waits.UntilAsync(async () => (await ConversationsAsync()).Single().AssigneeId == other.Id, "the reopened ticket to reach an available agent");
        var timeline = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.Kind == TimelineKind.Unassigned).Select(t => t.Note).ToListAsync());
        Assert.Contains("reopened while its agent is unavailable", timeline);
    }

    [Fact]
    public async Task TeamDefaultCapacity_AppliesToAgentsWithoutTheirOwn()
    {
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var team = await db.Teams.SingleAsync(t => t.Id == _support.Id);
            team.SetDefaultCapacity(new Capacity(1, 5));
            return await db.SaveChangesAsync();
        });
        var agent = await AgentAsync("team-default", Presence.Online, liveCapacity: 3);
        for (var i = 0; i < 3; i++)
        {
            await ReceiveAsync(_chat, $"v{i}", $"m{i}", "hello");
        }

        await Waits.UntilAsync(async () => (await ConversationsAsync()).Count(c => c.AssigneeId == agent.Id) == 1, "one assignment");
        var router = _db.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
        var passes = router.Passes;
        await Waits.UntilAsync(() => Task.FromResult(router.Passes >= passes + 2), "two more routing passes");
        Assert.Equal(1, (await ConversationsAsync()).Count(c => c.AssigneeId == agent.Id));
    }
}
