using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Api;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Create;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Api;

/// <summary>
/// The idempotency record of a conversation created with an Idempotency-Key is committed in the creation's own transaction
/// (docs/adr/021-write-path-performance.md): both are stored or neither, and a twin that committed the key first wins.
/// </summary>
public sealed class IdempotencyInTransactionTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Inbox _api = default!;
    private StaffMember _staff = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        var team = Team.Create("Support").Value;
        _api = Inbox.Create("CRM", ChannelKind.Api, team.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(team);
            db.Inboxes.Add(_api);
            return await db.SaveChangesAsync();
        });
        _staff = StaffMember.From(await _db.AddAgentAsync("ada", Presence.Offline, Capacity.Default, team.Id, StaffRole.Admin));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private CreateConversation Command(string text) =>
        new(_api.Id.Value, new NewConversationContact(Name: "Cara", Email: "cara@example.com"), "Order", text);

    /// <summary>Creates a conversation in a request scope with <paramref name="key"/> pending and <paramref name="answer"/> as the answer's composer.</summary>
    private Task<(Result<CreatedConversation> Result, IdempotencyRecord? Stored)> CreateAsync(string text, string key,
        Func<Conversation, Task<IdempotentAnswer?>>? answer = null, bool keyExpired = false) =>
        _db.InScopeAsync(async sp =>
        {
            var scope = sp.GetRequiredService<IdempotencyScope>();
            scope.Begin(key, "hash-" + text, keyExpired);
            scope.AnswerWith(async (added, _) => added.OfType<Conversation>().FirstOrDefault() is { } opened
                ? await (answer ?? (c => Task.FromResult<IdempotentAnswer?>(new IdempotentAnswer(201, "application/json", $"/c/{c.Id.Value}", Encoding.UTF8.GetBytes($"#{c.Number}")))))(opened)
                : null);
            var result = await sp.GetRequiredService<CreateConversationHandler>().HandleAsync(_staff, Command(text), CancellationToken.None);
            return (result, scope.Stored);
        });

    private Task<(List<Conversation> Conversations, List<IdempotencyRecord> Records, int Messages)> StoredAsync() =>
        _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var records = sp.GetRequiredService<IIdempotencyDbContext>();
            return (await db.Conversations.AsNoTracking().ToListAsync(), await records.IdempotencyRecords.AsNoTracking().ToListAsync(), await db.Messages.CountAsync());
        });

    [Fact]
    public async Task Create_WithKey_ConversationAndRecordCommittedTogether()
    {
        var (result, stored) = await CreateAsync("Where is my parcel?", "k-1");

        Assert.True(result.IsSuccess);
        Assert.NotNull(stored);
        var (conversations, records, _) = await StoredAsync();
        var conversation = Assert.Single(conversations);
        var record = Assert.Single(records);
        Assert.Equal(result.Value.ConversationId, conversation.Id);
        Assert.Equal("k-1", record.Key);
        Assert.Equal($"/c/{conversation.Id.Value}", record.Location);
        // Composed inside the transaction, after the number was taken: the answer shows the committed number.
        Assert.Equal($"#{conversation.Number}", Encoding.UTF8.GetString(record.Body));
    }

    [Fact]
    public async Task Create_FailsBetweenCreationAndRecord_NeitherStoredAndNumberReused()
    {
        var (first, _) = await CreateAsync("First", "k-1");
        var firstNumber = (await StoredAsync()).Conversations.Single().Number;

        // The creation's rows are written, then the process "dies" before the record: the transaction never commits.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CreateAsync("Second", "k-2", _ => throw new InvalidOperationException("crash between the creation and its record")));

        var (conversations, records, messages) = await StoredAsync();
        Assert.Equal(first.Value.ConversationId, Assert.Single(conversations).Id);
        Assert.Equal("k-1", Assert.Single(records).Key);
        Assert.Equal(1, messages);
        var (third, _) = await CreateAsync("Third", "k-2");
        Assert.True(third.IsSuccess);
        Assert.Equal(firstNumber + 1, (await StoredAsync()).Conversations.Single(c => c.Id == third.Value.ConversationId).Number);
    }

    [Fact]
    public async Task Create_TwinCommittedTheKeyFirst_KeyTakenAndNothingCreated()
    {
        // The twin ran between this request's lookup (key absent) and its save.
        var (winner, _) = await CreateAsync("Same body", "k-1");

        await Assert.ThrowsAsync<IdempotencyKeyTakenException>(() => CreateAsync("Same body", "k-1"));

        var (conversations, records, messages) = await StoredAsync();
        Assert.Equal(winner.Value.ConversationId, Assert.Single(conversations).Id);
        Assert.Single(records);
        Assert.Equal(1, messages);
    }

    [Fact]
    public async Task Create_KeyExpired_OldRowReplacedInTheSameTransaction()
    {
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IIdempotencyDbContext>();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Key = "k-1", RequestHash = "old", StatusCode = 201, Body = [1], CreatedAt = DateTimeOffset.UtcNow.AddDays(-2), ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            return await db.SaveChangesAsync();
        });

        var (result, stored) = await CreateAsync("Again", "k-1", keyExpired: true);

        Assert.True(result.IsSuccess);
        Assert.NotNull(stored);
        var record = Assert.Single((await StoredAsync()).Records);
        Assert.Equal("hash-Again", record.RequestHash);
    }

    [Fact]
    public async Task Create_NoAnswerRegistered_NoRecordInTheSave()
    {
        var stored = await _db.InScopeAsync(async sp =>
        {
            var scope = sp.GetRequiredService<IdempotencyScope>();
            scope.Begin("k-1", "h", keyExpired: false);
            Assert.True((await sp.GetRequiredService<CreateConversationHandler>().HandleAsync(_staff, Command("Hi"), CancellationToken.None)).IsSuccess);
            return scope.Stored;
        });

        Assert.Null(stored);
        Assert.Empty((await StoredAsync()).Records);
    }
}
