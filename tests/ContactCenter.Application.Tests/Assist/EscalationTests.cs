using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Assist;
using ContactCenter.Application.Conversations.Ingest;
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

namespace ContactCenter.Application.Tests.Assist;

/// <summary>Message → emotion → escalation → routed to a senior agent, over a real SQLite file with the real router.</summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _chat = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(new Dictionary<string, string?> { ["Routing:SweepInterval"] = "00:00:01" });
        _support = Team.Create("Support").Value;
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, _support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_support);
            db.Inboxes.Add(_chat);
            return await db.SaveChangesAsync();
        });
        await _db.StartAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AngryMessage_OnAJuniorsChat_RaisesPriority_RoutesToSenior_WritesTimeline_AlertsSupervisors()
    {
        var junior = await AgentAsync("junior");
        var calm = await ReceiveAsync("m1", "Hi, could you tell me where my parcel is? Order 1182.");
        await Waits.UntilAsync(async () => (await ConversationAsync(calm.ConversationId)).AssigneeId == junior.Id, "the chat to go to the only agent");
        var senior = await AgentAsync("senior", ("senior", 3));

        var angry = await ReceiveAsync("m2", "This is ridiculous!!! Third time I ask. I want a manager NOW or I'm filing a complaint.");

        await Waits.UntilAsync(async () => (await ConversationAsync(calm.ConversationId)).AssigneeId == senior.Id, "the escalated chat to go to the senior agent");
        var conversation = await ConversationAsync(calm.ConversationId);
        Assert.Equal(Priority.High, conversation.Priority);
        Assert.Equal(1, conversation.EscalationLevel);
        Assert.Equal(EmotionLabel.Angry, conversation.CustomerEmotion);
        Assert.True(conversation.RequiredSkills.ContainsKey("senior"));

        var timeline = await TimelineAsync(calm.ConversationId);
        var escalated = Assert.Single(timeline, t => t.Kind == TimelineKind.Escalated);
        Assert.Contains("angry", escalated.Note, StringComparison.Ordinal);
        Assert.Contains(timeline, t => t.Kind == TimelineKind.Unassigned && t.Note!.Contains("senior", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Kind == TimelineKind.Assigned && t.To == "senior");

        var messages = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.ConversationId == calm.ConversationId).OrderBy(m => m.CreatedAt).ToListAsync());
        Assert.Equal([EmotionLabel.Calm, EmotionLabel.Angry], messages.Select(m => m.Emotion!.Value));
        Assert.Equal(angry.MessageId, messages[1].Id);

        await Waits.UntilAsync(() => Task.FromResult(_db.Notifier.Pushed.OfType<EscalationAlertDto>().Any()), "supervisors to be alerted");
        var alert = _db.Notifier.Pushed.OfType<EscalationAlertDto>().Single();
        Assert.Equal(1, alert.Level);
        Assert.Equal(calm.ConversationId.Value, alert.ConversationId);

        var snapshot = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenter.Application.Supervision.SupervisorQueries>().SnapshotAsync(CancellationToken.None));
        var upset = Assert.Single(snapshot.Upset!);
        Assert.Equal(calm.ConversationId.Value, upset.Id);
        Assert.Equal(EmotionLabel.Angry, upset.Emotion);
    }

    [Fact]
    public async Task UpsetAgain_AtTheSameLevel_DoesNotEscalateTwice()
    {
        var first = await ReceiveAsync("a1", "I'm furious, this is unacceptable and I want a manager!");
        await ReceiveAsync("a2", "This is ridiculous, I want a manager.");
        await ReceiveAsync("a3", "Still ridiculous. Manager please.");

        var timeline = await TimelineAsync(first.ConversationId);
        var levels = timeline.Where(t => t.Kind == TimelineKind.Escalated).Select(t => t.To).ToList();
        Assert.Equal(levels.Distinct().Count(), levels.Count);
        Assert.InRange(levels.Count, 1, 2);
    }

    [Fact]
    public async Task WorseningCustomer_TwoIncreasinglyUpsetMessages_Escalates()
    {
        var first = await ReceiveAsync("w1", "I've been waiting for a week and still no update on my order.");
        Assert.Equal(0, (await ConversationAsync(first.ConversationId)).EscalationLevel);
        await ReceiveAsync("w2", "Still nothing?? Nobody answers, I've emailed three times and this is getting really frustrating.");

        var conversation = await ConversationAsync(first.ConversationId);
        Assert.Equal(1, conversation.EscalationLevel);
        Assert.Single(await TimelineAsync(first.ConversationId), t => t.Kind == TimelineKind.Escalated);
    }

    [Fact]
    public async Task EscalationOff_AngryMessage_IsScoredButNotEscalated()
    {
        await using var db = await SqliteDatabase.CreateAsync(new Dictionary<string, string?> { ["Assist:Escalation:Enabled"] = "false" });
        var inbox = Inbox.Create("Chat", ChannelKind.WebChat, null).Value;
        await db.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IApplicationDbContext>();
            ctx.Inboxes.Add(inbox);
            return await ctx.SaveChangesAsync();
        });
        var result = await db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), "v"), "V", "x1", "Worst service ever, I want a manager NOW!!!"),
            CancellationToken.None));
        var conversation = await db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == result.Value.ConversationId));
        Assert.Equal(EmotionLabel.Angry, conversation.CustomerEmotion);
        Assert.Equal(0, conversation.EscalationLevel);
        Assert.Equal(Priority.Normal, conversation.Priority);
    }

    private async Task<Agent> AgentAsync(string name, params (string Skill, int Level)[] skills) =>
        await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
            Assert.True((await users.CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, name, user.Email, StaffRole.Agent, new Capacity(3, 10), DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(_support.Id);
            foreach (var (skill, level) in skills)
            {
                agent.SetSkill(skill, level);
            }

            agent.SetPresence(Presence.Online, null, DateTimeOffset.UtcNow);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });

    private async Task<InboundResult> ReceiveAsync(string externalId, string text)
    {
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_chat.Id, ContactIdentity.Create(_chat.Channel.IdentityKind(), "visitor-1"), "Visitor", externalId, text),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    private Task<Conversation> ConversationAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == id));

    private Task<List<TimelineEntry>> TimelineAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.ConversationId == id).OrderBy(t => t.OccurredAt).ToListAsync());
}
