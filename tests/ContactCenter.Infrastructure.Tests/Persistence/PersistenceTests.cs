using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

using ContactCenter.Testing;

namespace ContactCenter.Infrastructure.Tests.Persistence;

public sealed class PersistenceTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        var team = Team.Create("Support").Value;
        _inbox = Inbox.Create("Chat", ChannelKind.WebChat, team.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ContactCenterDbContext>();
            context.Teams.Add(team);
            context.Inboxes.Add(_inbox);
            return await context.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<Result<InboundResult>> ReceiveAsync(string visitor, string externalId, string text) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.WidgetVisitor, visitor), "Carla", externalId, text), CancellationToken.None));

    [Fact]
    public async Task Sqlite_OnStart_IsInWalMode()
    {
        var mode = await _db.InScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ContactCenterDbContext>();
            return (await context.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync()).Single();
        });
        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task Conversation_ConcurrentEdits_SecondSaveFailsWithConcurrencyError()
    {
        var received = await ReceiveAsync("v1", "m1", "hello");
        var id = received.Value.ConversationId;
        await using var scopeA = _db.Services.CreateAsyncScope();
        await using var scopeB = _db.Services.CreateAsyncScope();
        var a = scopeA.ServiceProvider.GetRequiredService<ContactCenterDbContext>();
        var b = scopeB.ServiceProvider.GetRequiredService<ContactCenterDbContext>();
        var inA = await a.Conversations.SingleAsync(c => c.Id == id);
        var inB = await b.Conversations.SingleAsync(c => c.Id == id);
        var now = DateTimeOffset.UtcNow;

        Assert.True(inA.ChangePriority(Priority.High, Actor.System, now).IsSuccess);
        await a.SaveChangesAsync();
        Assert.True(inB.ChangeStatus(ConversationStatus.Pending, Actor.System, now).IsSuccess);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
        var stored = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(Priority.High, stored.Priority);
        Assert.Equal(ConversationStatus.New, stored.Status);
    }

    [Fact]
    public async Task ReceiveInbound_SameExternalIdConcurrently_StoresOneMessage()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ReceiveAsync("v1", "same-id", "only once"))));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results.Select(r => r.Value.MessageId).Distinct());
        Assert.Equal(7, results.Count(r => r.Value.Duplicate));
        var count = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Messages.CountAsync());
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task ConversationNumbers_AllocatedConcurrently_AreUnique()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => ReceiveAsync($"visitor-{i}", $"m-{i}", "hi"))));
        var numbers = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Conversations.Select(c => c.Number).ToListAsync());
        Assert.Equal(12, numbers.Count);
        Assert.Equal(12, numbers.Distinct().Count());
        Assert.All(results, r => Assert.True(r.Value.NewConversation));
    }

    [Fact]
    public async Task ConversationNumbers_TwoContextsWithoutSharedGateOnOneFile_UniqueAndWithoutGaps()
    {
        // Two connection strings for one file: two in-process write gates, so the two contexts contend in SQLite itself
        // (as two nodes would), each taking its numbers inside the transaction that stores the conversations.
        var connection = await _db.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<ContactCenterDbContext>().Database.GetConnectionString()!));
        var other = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection) { DefaultTimeout = 31 }.ToString();
        var start = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Counters.AsNoTracking()
            .Where(c => c.Name == Counter.ConversationNumber).Select(c => c.Value).SingleAsync());

        async Task<int> OpenManyAsync(Func<ContactCenterDbContext> create, string prefix)
        {
            for (var i = 0; i < 15; i++)
            {
                await using var context = create();
                var contact = Contact.Create(prefix + i, ContactIdentity.Create(IdentityKind.WidgetVisitor, $"{prefix}-{i}"), DateTimeOffset.UtcNow);
                context.Contacts.Add(contact);
                context.Conversations.Add(Conversation.Open(Conversation.NumberOnSave, _inbox.Id, ChannelKind.WebChat, contact.Id, "hi", null, Actor.System, DateTimeOffset.UtcNow));
                await context.SaveChangesAsync();
            }

            return 15;
        }

        ContactCenterDbContext Create(string cs) => new SqliteContactCenterDbContext(new DbContextOptionsBuilder<SqliteContactCenterDbContext>().UseSqlite(cs).Options);
        await Task.WhenAll(Task.Run(() => OpenManyAsync(() => Create(connection), "a")), Task.Run(() => OpenManyAsync(() => Create(other), "b")));

        // A save that fails gives its number back (same transaction): the next conversation takes it.
        await using (var failing = Create(connection))
        {
            var taken = Contact.Create("dup", ContactIdentity.Create(IdentityKind.WidgetVisitor, "a-0"), DateTimeOffset.UtcNow);
            failing.Contacts.Add(taken);
            var conversation = Conversation.Open(Conversation.NumberOnSave, _inbox.Id, ChannelKind.WebChat, taken.Id, "hi", null, Actor.System, DateTimeOffset.UtcNow);
            failing.Conversations.Add(conversation);
            await Assert.ThrowsAsync<DbUpdateException>(() => failing.SaveChangesAsync());
            Assert.Equal(Conversation.NumberOnSave, conversation.Number);
        }

        await OpenManyAsync(() => Create(other), "c");
        var numbers = await _db.InScopeAsync(sp => sp.GetRequiredService<ContactCenterDbContext>().Conversations.Select(c => c.Number).OrderBy(n => n).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 45).Select(i => start + i), numbers);
    }

    [Fact]
    public async Task Contact_SameIdentityTwice_RefusedByUniqueIndex()
    {
        await _db.InScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ContactCenterDbContext>();
            context.Contacts.Add(Contact.Create("A", ContactIdentity.Create(IdentityKind.Email, "same@example.com"), DateTimeOffset.UtcNow));
            context.Contacts.Add(Contact.Create("B", ContactIdentity.Create(IdentityKind.Email, "SAME@example.com "), DateTimeOffset.UtcNow));
            await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
            return 0;
        });
    }

    [Fact]
    public async Task Conversation_RoundTrip_KeepsTagsAttributesAndTimeline()
    {
        var received = await ReceiveAsync("v1", "m1", "hello");
        await _db.InScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ContactCenterDbContext>();
            var c = await context.Conversations.SingleAsync();
            c.AddTag("VIP", Actor.System, DateTimeOffset.UtcNow);
            c.SetAttribute("order", "48213", Actor.System, DateTimeOffset.UtcNow);
            return await context.SaveChangesAsync();
        });
        var (stored, timeline) = await _db.InScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ContactCenterDbContext>();
            var c = await context.Conversations.AsNoTracking().SingleAsync();
            var t = await context.Timeline.AsNoTracking().Where(e => e.ConversationId == c.Id).OrderBy(e => e.OccurredAt).Select(e => e.Kind).ToListAsync();
            return (c, t);
        });
        Assert.Equal(["vip"], stored.Tags);
        Assert.Equal("48213", stored.Attributes["order"]);
        Assert.Equal(received.Value.ConversationId, stored.Id);
        Assert.Equal([TimelineKind.Created, TimelineKind.MessageReceived, TimelineKind.TagAdded, TimelineKind.AttributeChanged], timeline);
    }
}

public sealed class MigrationTests
{
    private static SqlServerContactCenterDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerContactCenterDbContext>()
            .UseSqlServer("Server=unused;Database=ContactCenter;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);

    [Fact]
    public void SqlServer_MigrationScript_GeneratesOfflineWithEveryTable()
    {
        using var context = SqlServerContext();
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        foreach (var table in new[] { "Conversations", "Messages", "TimelineEntries", "Contacts", "ContactIdentities", "Agents", "Teams", "Inboxes", "Counters", "ApiTokens", "AspNetUsers" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("CREATE UNIQUE INDEX [IX_Messages_InboxId_ExternalId]", script, StringComparison.Ordinal);
        Assert.Contains("datetimeoffset", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServer_Model_HasNoChangesMissingFromMigrations()
    {
        using var context = SqlServerContext();
        Assert.False(context.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqlServerContactCenterDbContext");
    }

    [Fact]
    public void Sqlite_Model_HasNoChangesMissingFromMigrations()
    {
        using var context = new SqliteContactCenterDbContext(new DbContextOptionsBuilder<SqliteContactCenterDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(context.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqliteContactCenterDbContext");
    }
}
