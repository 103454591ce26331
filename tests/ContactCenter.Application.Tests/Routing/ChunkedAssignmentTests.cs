using System.Data.Common;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Persistence;
using ContactCenter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Routing;

/// <summary>The router saves a pass's assignments in chunks, one transaction each; a conflicting chunk falls back to one at a time.</summary>
public sealed class ChunkedAssignmentTests : IAsyncLifetime
{
    private readonly ConflictOnFirstChunk _conflict = new();
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _chat = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?> { ["Routing:SweepInterval"] = "00:00:01" },
            services => services.ConfigureDbContext<SqliteContactCenterDbContext>(o => o.AddInterceptors(_conflict)));
        _support = Team.Create("Support").Value;
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, _support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_support);
            db.Inboxes.Add(_chat);
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<List<Conversation>> ConversationsAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().ToListAsync());

    [Fact]
    public async Task Route_OneConversationOfAChunkChangedBeforeTheSave_AssignsTheOthersAndNeverOverCapacity()
    {
        var first = await _db.AddAgentAsync("first", Presence.Online, new Capacity(2, 10), _support.Id);
        var second = await _db.AddAgentAsync("second", Presence.Online, new Capacity(2, 10), _support.Id);
        var manual = await _db.AddAgentAsync("manual", Presence.Away, new Capacity(5, 10), _support.Id);
        for (var i = 0; i < 5; i++)
        {
            var received = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
                new InboundMessage(_chat.Id, ContactIdentity.Create(_chat.Channel.IdentityKind(), $"v{i}"), $"v{i}", $"m{i}", "help"), CancellationToken.None));
            Assert.True(received.IsSuccess);
        }

        // The first pass decides 4 assignments (capacity 2 + 2) and saves them as one chunk; just before that save,
        // another connection assigns one of them to the away agent (as a supervisor would), so the chunk's save conflicts.
        _conflict.Arm(manual.Id);
        await _db.StartAsync();

        await Waits.UntilAsync(async () => (await ConversationsAsync()).All(c => c.AssigneeId != null), "every conversation to be assigned");
        var router = _db.Services.GetRequiredService<ContactCenter.Application.Routing.ConversationRouter>();
        var passes = router.Passes;
        await Waits.UntilAsync(() => Task.FromResult(router.Passes >= passes + 2), "two more routing passes");

        Assert.Equal(1, _conflict.Fired);
        Assert.Equal(4, _conflict.ChunkSize);
        var all = await ConversationsAsync();
        var taken = Assert.Single(all, c => c.Id == _conflict.Changed);
        Assert.Equal(manual.Id, taken.AssigneeId);
        Assert.Equal(2, all.Count(c => c.AssigneeId == first.Id));
        Assert.Equal(2, all.Count(c => c.AssigneeId == second.Id));
        Assert.Equal(1, all.Count(c => c.AssigneeId == manual.Id));
        // The chunk's 3 other decisions were applied in the same pass (one decision time), not lost to a later one.
        var routedAt = all.Where(c => c.AssigneeId == first.Id || c.AssigneeId == second.Id).GroupBy(c => c.AssignedAt).Select(g => g.Count()).Order().ToList();
        Assert.Equal([1, 3], routedAt);

        // The failed chunk left nothing behind: one assignment (timeline entry) per routed conversation.
        var assignedEntries = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Timeline.AsNoTracking()
            .Where(t => t.Kind == TimelineKind.Assigned).Select(t => t.ConversationId).ToListAsync());
        Assert.Equal(4, assignedEntries.Count);
        Assert.Equal(4, assignedEntries.Distinct().Count());
        Assert.DoesNotContain(_conflict.Changed, assignedEntries);
    }

    /// <summary>
    /// On the first save that assigns several conversations at once, assigns one of them to another agent through a
    /// connection of its own (outside the product's write gate, which the saving context holds), like another node would.
    /// </summary>
    private sealed class ConflictOnFirstChunk : SaveChangesInterceptor
    {
        private AgentId? _agent;

        public int Fired { get; private set; }

        public int ChunkSize { get; private set; }

        public ConversationId Changed { get; private set; }

        public void Arm(AgentId agent) => _agent = agent;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            var context = eventData.Context!;
            var routed = context.ChangeTracker.Entries<Conversation>()
                .Where(e => e.State == EntityState.Modified && e.Entity.AssigneeId != null && e.OriginalValues.GetValue<AgentId?>(nameof(Conversation.AssigneeId)) == null)
                .Select(e => e.Entity.Id)
                .ToList();
            if (_agent is { } agent && Fired == 0 && routed.Count > 1)
            {
                Fired++;
                ChunkSize = routed.Count;
                Changed = routed[^1];
                await using var connection = new SqliteConnection(context.Database.GetConnectionString());
                await connection.OpenAsync(cancellationToken);
                await using DbCommand command = connection.CreateCommand();
                command.CommandText = "UPDATE \"Conversations\" SET \"AssigneeId\" = $agent, \"WaitingSince\" = NULL, \"Version\" = \"Version\" + 1 WHERE \"Id\" = $id";
                command.Parameters.Add(new SqliteParameter("$agent", agent.Value.ToString().ToUpperInvariant()));
                command.Parameters.Add(new SqliteParameter("$id", Changed.Value.ToString().ToUpperInvariant()));
                Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
            }

            return result;
        }
    }
}
