using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
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

/// <summary>The console's server-paged inbox list over 10,000 conversations in a real SQLite file.</summary>
public sealed class InboxPagingTests : IAsyncLifetime
{
    private const int Generated = 10_000;
    private static readonly DateTimeOffset Base = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private SqliteDatabase _db = default!;
    private Inbox _inbox = default!;
    private StaffMember _supervisor = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        var team = Team.Create("Support").Value;
        _inbox = Inbox.Create("Mail", ChannelKind.Email, team.Id).Value;
        _supervisor = await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(team);
            db.Inboxes.Add(_inbox);
            await db.SaveChangesAsync();
            var user = new ApplicationUser { UserName = "sue@t.local", Email = "sue@t.local", DisplayName = "Sue Visor" };
            Assert.True((await sp.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, "Test-pass-123")).Succeeded);
            var agent = Agent.Create(user.Id, "Sue Visor", user.Email, StaffRole.Supervisor, Capacity.Default, Base).Value;
            agent.JoinTeam(team.Id);
            db.Agents.Add(agent);
            await db.SaveChangesAsync();
            return StaffMember.From(agent);
        });
        var first = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.Email, "many@example.com"), "Many", "m-1", "hello"), CancellationToken.None));
        Assert.True(first.IsSuccess, first.Error?.Message);
        var templateNumber = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations
            .Where(c => c.Id == first.Value.ConversationId).Select(c => c.Number).SingleAsync());
        // Many ties on priority and last activity, so the keyset's tie-break (the number) is exercised.
        var rows = Enumerable.Range(1, Generated).Select(i => new BulkConversations.Row(
            Guid.NewGuid(), 100_000 + i, Base.AddMinutes(i % 997), (Priority)(i % 4), $"Generated {i}"));
        await _db.InScopeAsync(async sp =>
        {
            await BulkConversations.InsertCopiesAsync(sp.GetRequiredService<ContactCenter.Infrastructure.Persistence.ContactCenterDbContext>(), templateNumber, rows);
            return 0;
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<InboxPage> PageAsync(InboxFilter filter, InboxPageRequest request) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().PageInboxAsync(_supervisor, filter, request, CancellationToken.None));

    private Task TouchAsync(long number, DateTimeOffset at) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.Where(c => c.Number == number)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageAt, at)));

    [Fact]
    public async Task PageInboxAsync_KeysetThroughTenThousandWhileRowsChange_EveryUnchangedRowOnceInOrderNoDuplicates()
    {
        var filter = new InboxFilter(InboxView.All);
        var seen = new List<ConversationSummaryDto>();
        var touched = new HashSet<long>();
        InboxCursor? after = null;
        var pages = 0;
        var now = Base.AddDays(1);
        while (true)
        {
            var page = await PageAsync(filter, new InboxPageRequest(after, 0, 250));
            Assert.Equal(Generated + 1, page.Total);
            if (page.Items.Count == 0)
            {
                break;
            }

            pages++;
            seen.AddRange(page.Items);
            after = InboxCursor.Of(page.Items[^1]);
            // Between pages, customers write in: one conversation already listed and one not yet listed move to the top.
            var listedNumber = page.Items[0].Number;
            var unlistedNumber = 100_000 + ((pages * 37) % Generated) + 1;
            foreach (var number in new[] { listedNumber, unlistedNumber })
            {
                touched.Add(number);
                now = now.AddSeconds(1);
                await TouchAsync(number, now);
            }
        }

        Assert.InRange(pages, (Generated + 1) / 250, ((Generated + 1) / 250) + 1);
        Assert.Equal(seen.Count, seen.Select(c => c.Id).Distinct().Count());
        var untouched = seen.Where(c => !touched.Contains(c.Number)).ToList();
        var expectedUntouched = Generated + 1 - touched.Count;
        Assert.Equal(expectedUntouched, untouched.Count);
        for (var i = 1; i < seen.Count; i++)
        {
            var (a, b) = (seen[i - 1], seen[i]);
            var ordered = a.Priority > b.Priority || (a.Priority == b.Priority
                && (a.LastMessageAt > b.LastMessageAt || (a.LastMessageAt == b.LastMessageAt && a.Number > b.Number)));
            Assert.True(ordered || touched.Contains(a.Number) || touched.Contains(b.Number), $"#{a.Number} then #{b.Number} out of order");
        }
    }

    [Fact]
    public async Task PageInboxAsync_JumpBySkipAndKeysetFromTheRowBefore_ReturnTheSameRows()
    {
        var filter = new InboxFilter(InboxView.All);
        var jump = await PageAsync(filter, new InboxPageRequest(null, 5_000, 50));
        var before = await PageAsync(filter, new InboxPageRequest(null, 4_999, 1));
        var keyset = await PageAsync(filter, new InboxPageRequest(InboxCursor.Of(before.Items[0]), 0, 50));

        Assert.Equal(50, jump.Items.Count);
        Assert.Equal(jump.Items.Select(c => c.Id), keyset.Items.Select(c => c.Id));

        var last = await PageAsync(filter, new InboxPageRequest(null, Generated, 50));
        Assert.Single(last.Items);
        Assert.Equal(Generated + 1, last.Total);
    }

    [Fact]
    public async Task PageInboxAsync_WithFilterAndSearch_TotalIsTheFilteredCount()
    {
        var urgent = await PageAsync(new InboxFilter(InboxView.All, Priority: Priority.Urgent), new InboxPageRequest(null, 0, 10));
        Assert.Equal(Generated / 4, urgent.Total);
        Assert.All(urgent.Items, c => Assert.Equal(Priority.Urgent, c.Priority));

        var byNumber = await PageAsync(new InboxFilter(InboxView.All, Search: "#100042"), new InboxPageRequest(null, 0, 10));
        Assert.Equal(1, byNumber.Total);
        Assert.Equal(100_042, byNumber.Items.Single().Number);
    }

    [Fact]
    public async Task EarlierMessagesAsync_PagesBackFromTheOldestHeld_WithoutRepeatsOrGaps()
    {
        var id = await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.OrderBy(c => c.Number).FirstAsync();
            var at = DateTimeOffset.UtcNow.AddMinutes(1);
            for (var i = 2; i <= 7; i++)
            {
                // Two messages share each instant, so the keyset's tie-break (the ids held at that instant) is exercised.
                Assert.True(conversation.ReceiveFromContact("Many", new MessageContent($"message {i}"), $"m-{i}", at.AddSeconds(i / 2)).IsSuccess);
            }

            await db.SaveChangesAsync();
            return conversation.Id;
        });

        var queries = (Func<DateTimeOffset, IReadOnlyCollection<Guid>, Task<IReadOnlyList<MessageDto>?>>)((before, seen) =>
            _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().EarlierMessagesAsync(_supervisor, id, before, seen, 3, CancellationToken.None)));
        var newest = await _db.InScopeAsync(sp => sp.GetRequiredService<ConversationQueries>().MessagesAsync(id, null, 1, CancellationToken.None));
        var held = newest.ToList();
        while (true)
        {
            var earlier = await queries(held[0].CreatedAt, held.Where(m => m.CreatedAt == held[0].CreatedAt).Select(m => m.Id).ToList());
            Assert.NotNull(earlier);
            if (earlier.Count == 0)
            {
                break;
            }

            held.InsertRange(0, earlier);
        }

        Assert.Equal(7, held.Count);
        Assert.Equal(held.Count, held.Select(m => m.Id).Distinct().Count());
        Assert.Equal("hello", held[0].Text);
        Assert.Equal(["message 2", "message 3", "message 4", "message 5", "message 6", "message 7"], held.Skip(1).Select(m => m.Text).Order(StringComparer.Ordinal));
    }
}
