using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Contacts;
using ContactCenter.Application.Conversations.Assign;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Mentions;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Conversations.Transcript;
using ContactCenter.Application.Conversations.Update;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Conversations;

/// <summary>What the console reads: filtered inboxes, search over messages, mentions, transcripts, the contact 360 — over a real SQLite file.</summary>
public sealed class ConsoleQueriesTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Team _billing = default!;
    private Inbox _email = default!;
    private Inbox _billingMail = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _support = Team.Create("Support").Value;
        _billing = Team.Create("Billing").Value;
        _email = Inbox.Create("Mail", ChannelKind.Email, _support.Id).Value;
        _billingMail = Inbox.Create("Billing mail", ChannelKind.Email, _billing.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.AddRange(_support, _billing);
            db.Inboxes.AddRange(_email, _billingMail);
            return await db.SaveChangesAsync();
        });
        await _db.StartAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<StaffMember> StaffAsync(string name, StaffRole role, Team team)
    {
        return await _db.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var login = name.Replace(' ', '.').ToUpperInvariant();
            var user = new ApplicationUser { UserName = $"{login}@t.local", Email = $"{login}@t.local", DisplayName = name };
            Assert.True((await users.CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, name, user.Email, role, Capacity.Default, DateTimeOffset.UtcNow).Value;
            agent.JoinTeam(team.Id);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return StaffMember.From(agent);
        });
    }

    private async Task<ConversationId> ReceiveAsync(string who, string externalId, string text, Inbox? inbox = null)
    {
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage((inbox ?? _email).Id, ContactIdentity.Create(IdentityKind.Email, who), who, externalId, text),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value.ConversationId;
    }

    private Task<IReadOnlyList<ConversationSummaryDto>> ListAsync(StaffMember staff, InboxFilter filter) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().ListAsync(staff, filter, CancellationToken.None));

    private async Task ReplyAsync(StaffMember staff, ConversationId id, string text, bool isPrivate)
    {
        var sent = await _db.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>()
            .HandleAsync(staff, new SendAgentReply(id, text, isPrivate, Guid.NewGuid().ToString("N")), CancellationToken.None));
        Assert.True(sent.IsSuccess, sent.Error?.Message);
    }

    [Fact]
    public async Task SummaryAsync_OneStatement_SameAsTheListsSummary()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var assigned = await ReceiveAsync("maria@example.com", "<a@mail>", "Hello");
        var waiting = await ReceiveAsync("tom@example.com", "<b@mail>", "Refund please");
        await _db.InScopeAsync(async sp => (await sp.GetRequiredService<AssignConversationHandler>()
            .HandleAsync(sam, new AssignConversation(assigned, sam.AgentId), CancellationToken.None)).IsSuccess ? 0 : throw new InvalidOperationException("assign"));
        var listed = await ListAsync(sam, new InboxFilter(InboxView.All));

        using var statements = new SqlStatementCounter(_db.Folder);
        var one = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().SummaryAsync(assigned, CancellationToken.None));
        Assert.True(statements.Count == 1, string.Join("\n---\n", statements.Statements));
        var other = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().SummaryAsync(waiting, CancellationToken.None));
        var missing = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().SummaryAsync(ConversationId.New(), CancellationToken.None));

        Assert.Equivalent(listed.Single(c => c.Id == assigned.Value), one, strict: true);
        Assert.Equal(("Sam Lead", "maria@example.com"), (one!.AssigneeName, one.ContactName));
        Assert.Equivalent(listed.Single(c => c.Id == waiting.Value), other, strict: true);
        Assert.Null(other!.AssigneeName);
        Assert.Null(missing);
    }

    [Fact]
    public async Task ListAsync_SearchFindsWordsInAnyMessage_NotOnlyTheSubjectOrName()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var parcel = await ReceiveAsync("maria@example.com", "<a@mail>", "Hello");
        await ReplyAsync(sam, parcel, "Your tracking number is 4711-XQ.", isPrivate: false);
        await ReceiveAsync("tom@example.com", "<b@mail>", "Refund for my mug please");

        var found = await ListAsync(sam, new InboxFilter(InboxView.All, Search: "4711-xq"));
        var none = await ListAsync(sam, new InboxFilter(InboxView.All, Search: "100%_match"));

        Assert.Equal([parcel.Value], found.Select(c => c.Id));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ListAsync_Filters_ByPriorityTagTeamAndSlaState()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var urgent = await ReceiveAsync("a@example.com", "<a@mail>", "Site down");
        var tagged = await ReceiveAsync("b@example.com", "<b@mail>", "Invoice wrong", _billingMail);
        // Urgent conversations must be answered within a millisecond: once urgent, it is breached at once.
        var policy = SlaPolicy.Create("Urgent", 0, SlaConditions.Any, new Dictionary<Priority, SlaTargets> { [Priority.Urgent] = new(TimeSpan.FromMilliseconds(1), null, null) }).Value!;
        await _db.InScopeAsync(async sp =>
        {
            sp.GetRequiredService<ISlaDbContext>().SlaPolicies.Add(policy);
            await sp.GetRequiredService<IApplicationDbContext>().SaveChangesAsync();
            sp.GetRequiredService<SlaPlanner>().Invalidate(); // policies are cached per node
            var update = sp.GetRequiredService<UpdateConversationHandler>();
            Assert.True((await update.HandleAsync(sam, new UpdateConversation(urgent, Priority: Priority.Urgent), CancellationToken.None)).IsSuccess);
            Assert.True((await update.HandleAsync(sam, new UpdateConversation(tagged, AddTag: "VIP"), CancellationToken.None)).IsSuccess);
            return 0;
        });
        var breached = urgent;

        Assert.Equal([urgent.Value], (await ListAsync(sam, new InboxFilter(InboxView.All, Priority: Priority.Urgent))).Select(c => c.Id));
        Assert.Equal([tagged.Value], (await ListAsync(sam, new InboxFilter(InboxView.All, Tag: "vip"))).Select(c => c.Id));
        Assert.Equal([tagged.Value], (await ListAsync(sam, new InboxFilter(InboxView.All, TeamId: _billing.Id.Value))).Select(c => c.Id));
        Assert.Equal([breached.Value], (await ListAsync(sam, new InboxFilter(InboxView.All, Sla: SlaState.Breached))).Select(c => c.Id));
        Assert.DoesNotContain(breached.Value, (await ListAsync(sam, new InboxFilter(InboxView.All, Sla: SlaState.OnTrack))).Select(c => c.Id));
        Assert.Equal(2, (await ListAsync(sam, new InboxFilter(InboxView.All, Channel: ChannelKind.Email))).Count);
        Assert.Empty(await ListAsync(sam, new InboxFilter(InboxView.All, Channel: ChannelKind.WhatsApp)));
    }

    [Fact]
    public async Task MentionsView_ListsConversationsWhereAColleagueMentionedMe_CountedLive()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var alice = await StaffAsync("Alice Chen", StaffRole.Agent, _support);
        var ali = await StaffAsync("Ali", StaffRole.Agent, _support);
        var mentioned = await ReceiveAsync("a@example.com", "<a@mail>", "Where is my order?");
        var other = await ReceiveAsync("b@example.com", "<b@mail>", "Hello");

        await ReplyAsync(sam, mentioned, "@Alice Chen can you check the warehouse?", isPrivate: true);
        await ReplyAsync(sam, other, "Thanks @Alice Chen, answered publicly", isPrivate: false);

        Assert.Equal([mentioned.Value], (await ListAsync(alice, new InboxFilter(InboxView.Mentions))).Select(c => c.Id));
        Assert.Empty(await ListAsync(sam, new InboxFilter(InboxView.Mentions)));
        var counts = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().CountsAsync(alice, CancellationToken.None));
        Assert.Equal(1, counts.Mentions);
        var directory = new[]
        {
            new DirectoryAgentDto(alice.AgentId.Value, "Alice Chen", Presence.Online, []),
            new DirectoryAgentDto(ali.AgentId.Value, "Ali", Presence.Online, []),
            new DirectoryAgentDto(sam.AgentId.Value, "Sam Lead", Presence.Online, []),
        };
        Assert.Equal(["Alice Chen"], MentionParser.Find("@Alice Chen please, and me @Sam Lead", directory, sam.AgentId.Value).Select(a => a.DisplayName));
        Assert.Equal(["Alice Chen", "Ali"], MentionParser.Find("@Alice Chen and @Ali", directory).Select(a => a.DisplayName));
        Assert.Empty(MentionParser.Find("mail alice@Ali.example", directory.Where(a => a.DisplayName != "Ali")));
    }

    [Fact]
    public async Task Transcript_WholeThreadInOrder_NotesOnlyWhenAsked_EncodedHtml_HiddenFromOtherTeams()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var bea = await StaffAsync("Bea Billing", StaffRole.Agent, _billing);
        var id = await ReceiveAsync("maria@example.com", "<a@mail>", "My <b>mug</b> broke");
        await ReplyAsync(sam, id, "internal: refund ok", isPrivate: true);
        await ReplyAsync(sam, id, "Sorry! A new one is on its way.", isPrivate: false);

        var read = (bool notes) => _db.InScopeAsync(sp => sp.GetRequiredService<ConversationTranscripts>().GetAsync(sam, id, notes, CancellationToken.None));
        var plain = (await read(false)).Value;
        var withNotes = (await read(true)).Value;
        var hidden = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationTranscripts>().GetAsync(bea, id, true, CancellationToken.None));

        Assert.Equal(["My <b>mug</b> broke", "Sorry! A new one is on its way."], plain.Messages.Select(m => m.Text));
        Assert.DoesNotContain("internal", plain.ToText(), StringComparison.Ordinal);
        Assert.Contains("(private note)", withNotes.ToText(), StringComparison.Ordinal);
        Assert.Contains("My &lt;b&gt;mug&lt;/b&gt; broke", plain.ToHtml(), StringComparison.Ordinal);
        Assert.Equal($"conversation-{plain.Summary.Number}.txt", plain.FileName("txt"));
        Assert.Equal("not_found", hidden.Error?.Code);
    }

    [Fact]
    public async Task Contact_ProfileEditAndMerge_MovesIdentitiesAndConversations_WithAnAuditEntry()
    {
        var sam = await StaffAsync("Sam Lead", StaffRole.Supervisor, _support);
        var first = await ReceiveAsync("maria@example.com", "<a@mail>", "Order late");
        var second = await ReceiveAsync("maria.g@work.example", "<b@mail>", "Same person, other address");
        var (keep, duplicate) = await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var a = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == first);
            var b = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == second);
            return (a.ContactId, b.ContactId);
        });

        var edited = await _db.InScopeAsync(sp => sp.GetRequiredService<EditContactHandler>()
            .HandleAsync(sam, new EditContact(keep, Name: "María García", Notes: "Prefers email"), CancellationToken.None));
        var merged = await _db.InScopeAsync(sp => sp.GetRequiredService<MergeContactsHandler>()
            .HandleAsync(sam, new MergeContacts(duplicate, keep), CancellationToken.None));
        var again = await _db.InScopeAsync(sp => sp.GetRequiredService<MergeContactsHandler>()
            .HandleAsync(sam, new MergeContacts(duplicate, keep), CancellationToken.None));
        var profile = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactQueries>().ProfileAsync(sam, keep, CancellationToken.None));

        Assert.True(edited.IsSuccess, edited.Error?.Message);
        Assert.True(merged.IsSuccess, merged.Error?.Message);
        Assert.False(again.IsSuccess);
        Assert.NotNull(profile);
        Assert.Equal("María García", profile.Name);
        Assert.Equal("Prefers email", profile.Notes);
        Assert.Equal(["maria.g@work.example", "maria@example.com"], profile.Identities.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal([first.Value, second.Value], profile.Conversations.Select(c => c.Id).Order());
        var detail = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().DetailAsync(sam, second, 10, CancellationToken.None));
        Assert.Contains(detail!.Timeline, t => t.Kind == TimelineKind.ContactMerged && t.To == "María García");
    }
}
