using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Files;
using ContactCenter.Application.Privacy;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Web.Tests.Privacy;

/// <summary>Retention rules: an inbox's retentionDays deletes its old conversations and their files; other inboxes keep theirs.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ContactCenterHost _host;

    public RetentionTests() => _host = new ContactCenterHost(new Dictionary<string, string?> { ["Privacy:RetentionInterval"] = "00:00:00" }, time: _time);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Sweep_PastRetention_DeletesConversationsAndFilesOfThatInboxOnly()
    {
        var short30 = await _host.CreateInboxAsync("Short", ChannelKind.Email, null);
        var forever = await _host.CreateInboxAsync("Forever", ChannelKind.Email, null);
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            (await db.Inboxes.SingleAsync(i => i.Id == short30.Id)).SetSetting(RetentionSweeper.Setting, "30");
            await db.SaveChangesAsync();
        });
        var key = "r_" + Guid.NewGuid().ToString("N") + ".txt";
        await _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IFileStorage>().SaveAsync(key, new MemoryStream(Encoding.UTF8.GetBytes("old file")), CancellationToken.None);
            var ingest = sp.GetRequiredService<ReceiveInboundMessageHandler>();
            await ingest.HandleAsync(new InboundMessage(short30.Id, ContactIdentity.Create(IdentityKind.Email, "a@example.org"), "A", "<a1@x>", "old",
                Attachments: [new Attachment("f.txt", "text/plain", 8, key)]), CancellationToken.None);
            await ingest.HandleAsync(new InboundMessage(forever.Id, ContactIdentity.Create(IdentityKind.Email, "b@example.org"), "B", "<b1@x>", "kept"), CancellationToken.None);
        });

        Task<int> SweepAsync() => _host.InScopeAsync(sp => sp.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await SweepAsync());

        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await SweepAsync());

        var left = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().Select(c => c.InboxId).ToListAsync());
        Assert.Equal([forever.Id], left);
        Assert.Equal(1, await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync()));
        Assert.Null(await _host.InScopeAsync(sp => sp.GetRequiredService<IFileStorage>().SizeAsync(key, CancellationToken.None)));
        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<IAuditDbContext>().AuditLog.AsNoTracking().SingleAsync(e => e.Action == AuditActions.RetentionDeleted));
        Assert.Equal((short30.Id.Value.ToString(), "system"), (audit.Target, audit.ActorName));
    }
}
