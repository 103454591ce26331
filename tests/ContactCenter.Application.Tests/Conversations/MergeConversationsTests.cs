using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Merge;
using ContactCenter.Application.Conversations.Queries;
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

/// <summary>Merging two conversations of one contact over a real SQLite file.</summary>
public sealed class MergeConversationsTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _email = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _support = Team.Create("Support").Value;
        _email = Inbox.Create("Mail", ChannelKind.Email, _support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_support);
            db.Inboxes.Add(_email);
            return await db.SaveChangesAsync();
        });
        await _db.StartAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<Agent> AgentAsync(string name, StaffRole role)
    {
        return await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
            Assert.True((await users.CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, name, user.Email, role, Capacity.Default, DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(_support.Id);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return agent;
        });
    }

    private Task<Result<InboundResult>> ReceiveAsync(string who, string externalId, string text) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_email.Id, ContactIdentity.Create(IdentityKind.Email, who), who, externalId, text),
            CancellationToken.None));

    private Task<Result> MergeAsync(Agent by, ConversationId source, ConversationId target) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<MergeConversationsHandler>()
            .HandleAsync(StaffMember.From(by), new MergeConversations(source, target), CancellationToken.None));

    private Task<Conversation> ConversationAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Merge_SameContact_TargetShowsBothThreadsInOrder_SourceClosed()
    {
        var sam = await AgentAsync("sam", StaffRole.Supervisor);
        var first = await ReceiveAsync("maria@example.com", "<a@mail>", "My order is late");
        await Task.Delay(20);
        var second = await ReceiveAsync("maria@example.com", "<b@mail>", "Any news on my order?");
        Assert.True(second.Value.NewConversation);
        var source = second.Value.ConversationId;
        var target = first.Value.ConversationId;

        var candidates = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>()
            .MergeCandidatesAsync(StaffMember.From(sam), source, CancellationToken.None));
        Assert.Equal([target.Value], candidates.Select(c => c.Id));

        var result = await MergeAsync(sam, source, target);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var merged = await ConversationAsync(source);
        Assert.Equal(ConversationStatus.Closed, merged.Status);
        Assert.Equal(target, merged.MergedIntoId);
        var detail = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>()
            .DetailAsync(StaffMember.From(sam), target, 50, CancellationToken.None));
        Assert.NotNull(detail);
        var sourceNumber = merged.Number;
        Assert.Equal(
            ["My order is late", "Any news on my order?", $"Merged #{sourceNumber} into this conversation"],
            detail.Messages.Select(m => m.Text));
        Assert.True(detail.Messages[^1].IsPrivate);
        Assert.Equal(detail.Messages.OrderBy(m => m.CreatedAt).Select(m => m.Id), detail.Messages.Select(m => m.Id));
        Assert.Contains(detail.Timeline, t => t.Kind == TimelineKind.Merged);

        var after = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>()
            .MergeCandidatesAsync(StaffMember.From(sam), target, CancellationToken.None));
        Assert.Empty(after);
    }

    [Fact]
    public async Task Merge_AgentNotAssignee_Forbidden_AndNothingChanges()
    {
        var alice = await AgentAsync("alice", StaffRole.Agent);
        var first = await ReceiveAsync("pat@example.com", "<a@mail>", "one");
        var second = await ReceiveAsync("pat@example.com", "<b@mail>", "two");

        var result = await MergeAsync(alice, second.Value.ConversationId, first.Value.ConversationId);

        Assert.Equal("forbidden", result.Error?.Code);
        var source = await ConversationAsync(second.Value.ConversationId);
        Assert.Null(source.MergedIntoId);
        Assert.NotEqual(ConversationStatus.Closed, source.Status);
    }

    [Fact]
    public async Task Merge_DifferentContacts_Refused()
    {
        var sam = await AgentAsync("sam", StaffRole.Supervisor);
        var mine = await ReceiveAsync("lee@example.com", "<a@mail>", "lee's question");
        var theirs = await ReceiveAsync("kim@example.com", "<b@mail>", "kim's question");

        var result = await MergeAsync(sam, theirs.Value.ConversationId, mine.Value.ConversationId);

        Assert.Equal("validation.conversation.merge_contact", result.Error?.Code);
        Assert.Null((await ConversationAsync(theirs.Value.ConversationId)).MergedIntoId);
        var candidates = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>()
            .MergeCandidatesAsync(StaffMember.From(sam), mine.Value.ConversationId, CancellationToken.None));
        Assert.Empty(candidates);
    }
}
