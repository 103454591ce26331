using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Webhooks;

/// <summary>
/// The intake's group commit: each caller returns only once its own row is committed (and as soon as it is, even while the
/// writer is held), concurrent rows share commits, and a bad row fails only its own caller.
/// </summary>
public sealed class WebhookInboxWriterTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private InboxId _inbox;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _inbox = await WhatsAppInboxAsync(_db);
    }

    /// <summary>A team and its WhatsApp inbox (also used by <see cref="WebhookProcessorTests"/>).</summary>
    internal static Task<InboxId> WhatsAppInboxAsync(SqliteDatabase database)
    {
        var team = Domain.Teams.Team.Create("Support").Value;
        var inbox = Domain.Inboxes.Inbox.Create("WhatsApp", ChannelKind.WhatsApp, team.Id).Value;
        return database.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Abstractions.IApplicationDbContext>();
            db.Teams.Add(team);
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
            return inbox.Id;
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<bool> IsStoredAsync(Guid id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().AnyAsync(w => w.Id == id));

    [Fact]
    public async Task StoreAsync_ManyConcurrentCallers_EachReturnsAfterItsRowIsCommitted()
    {
        var writer = _db.Services.GetRequiredService<WebhookInboxWriter>();
        var inbox = _inbox;
        var items = Enumerable.Range(0, 60)
            .Select(i => WebhookInboxItem.Receive(inbox, ChannelKind.WhatsApp, $"e{i}", "application/json", $"{{\"n\":{i}}}", DateTimeOffset.UtcNow))
            .ToList();

        var stored = await Task.WhenAll(items.Select(item => Task.Run(async () =>
        {
            await writer.StoreAsync(item, CancellationToken.None).Within("the webhook committed");
            return await IsStoredAsync(item.Id); // committed before the caller was answered
        })));

        Assert.All(stored, Assert.True);
        var count = await _db.InScopeAsync(sp => sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.CountAsync(w => w.InboxId == inbox));
        Assert.Equal(60, count);
    }

    [Fact]
    public async Task StoreAsync_SaveFails_CallerGetsTheErrorAndTheWriterGoesOn()
    {
        var writer = _db.Services.GetRequiredService<WebhookInboxWriter>();
        var orphan = WebhookInboxItem.Receive(InboxId.New(), ChannelKind.WhatsApp, "e1", "application/json", "{}", DateTimeOffset.UtcNow); // no such inbox
        await Assert.ThrowsAsync<DbUpdateException>(() => writer.StoreAsync(orphan, CancellationToken.None).Within("the failed save"));
        Assert.False(await IsStoredAsync(orphan.Id));

        var next = WebhookInboxItem.Receive(_inbox, ChannelKind.WhatsApp, "e2", "application/json", "{}", DateTimeOffset.UtcNow);
        await writer.StoreAsync(next, CancellationToken.None).Within("the next webhook committed");
        Assert.True(await IsStoredAsync(next.Id));
    }

    private WebhookInboxItem Item(string eventId) =>
        WebhookInboxItem.Receive(_inbox, ChannelKind.WhatsApp, eventId, "application/json", "{}", DateTimeOffset.UtcNow);

    [Fact]
    public async Task StoreAsync_RowCommittedByAnotherCallersBatch_ReturnsWithoutTakingTheWriter()
    {
        var writer = _db.Services.GetRequiredService<WebhookInboxWriter>();
        await writer.Writer.WaitAsync().Within("the test takes the writer"); // as another request writing a batch would
        var item = Item("e1");

        var store = writer.StoreAsync(item, CancellationToken.None); // queued; the writer is not free
        Assert.False(store.IsCompleted);
        await writer.WriteBatchAsync().Within("the holder's batch"); // the holder's batch takes the queued row along

        await store.Within("answered while the writer is still held");
        Assert.Equal(0, writer.Writer.CurrentCount);
        Assert.True(await IsStoredAsync(item.Id));

        writer.Writer.Release();
        await Waits.UntilAsync(() => Task.FromResult(writer.Writer.CurrentCount == 1), "the answered caller's wait gives the writer straight back");
        var next = Item("e2");
        await writer.StoreAsync(next, CancellationToken.None).Within("the next webhook committed");
        Assert.True(await IsStoredAsync(next.Id));
    }

    [Fact]
    public async Task StoreAsync_PoisonRowAmongConcurrentRows_OnlyItsCallerFailsTheOthersAreCommittedOnce()
    {
        var writer = _db.Services.GetRequiredService<WebhookInboxWriter>();
        await writer.Writer.WaitAsync().Within("the test takes the writer"); // so that every row below lands in one batch
        var good = Enumerable.Range(0, 20).Select(i => Item($"g{i}")).ToList();
        var poison = WebhookInboxItem.Receive(InboxId.New(), ChannelKind.WhatsApp, "p", "application/json", "{}", DateTimeOffset.UtcNow); // its inbox is gone
        var rows = good.Take(10).Append(poison).Concat(good.Skip(10)).ToList();
        var stores = rows.ToDictionary(r => r.Id, r => writer.StoreAsync(r, CancellationToken.None));

        await writer.WriteBatchAsync().Within("the batch, then its rows one by one");
        writer.Writer.Release();

        await Assert.ThrowsAsync<DbUpdateException>(() => stores[poison.Id].Within("the poison row's caller"));
        foreach (var row in good)
        {
            await stores[row.Id].Within("a good row's caller");
        }

        var stored = await _db.InScopeAsync(sp => sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().Select(w => w.Id).ToListAsync());
        Assert.Equal(good.Select(g => g.Id).Order(), stored.Order()); // every good row exactly once, the poison row not at all
    }
}
