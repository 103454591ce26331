using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Webhooks;

/// <summary>The intake's group commit: each caller returns only once its own row is committed, concurrent rows share commits.</summary>
public sealed class WebhookInboxWriterTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private InboxId _inbox;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        var team = Domain.Teams.Team.Create("Support").Value;
        var inbox = Domain.Inboxes.Inbox.Create("WhatsApp", ChannelKind.WhatsApp, team.Id).Value;
        _inbox = inbox.Id;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Abstractions.IApplicationDbContext>();
            db.Teams.Add(team);
            db.Inboxes.Add(inbox);
            return await db.SaveChangesAsync();
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
}
