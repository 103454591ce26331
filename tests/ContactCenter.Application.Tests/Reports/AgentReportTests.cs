using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Reports;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Reports;

/// <summary>The agent performance report over a real SQLite file: live, after the roll-up, and the two agree.</summary>
public sealed class AgentReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ReportRange March = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
    private SqliteDatabase _db = default!;
    private Agent _ann = default!;
    private Agent _bo = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _ann = await AgentAsync("Ann");
        _bo = await AgentAsync("Bo");
        var inbox = Inbox.Create("Mail", ChannelKind.Email, null).Value!;
        var contacts = new List<Contact>();
        var conversations = new List<Conversation>();
        var ratings = new List<CsatRating>();
        Conversation Open(DateTimeOffset at)
        {
            var contact = Contact.Create($"Customer {conversations.Count}", ContactIdentity.Create(IdentityKind.Email, $"c{conversations.Count}@example.com"), at);
            contacts.Add(contact);
            var c = Conversation.Open(conversations.Count + 1, inbox.Id, ChannelKind.Email, contact.Id, "Question", null, Actor.System, at);
            conversations.Add(c);
            return c;
        }

        // Day 1: six conversations assigned to Ann. Ann answers the first four after 1..4 minutes (two replies each) and
        // resolves them after 1..4 hours; Bo gives the first answer of the fifth (after 10 minutes), then Ann adds one; the
        // sixth gets only a private note from Ann. Ratings: 5 and 3 for Ann.
        for (var i = 1; i <= 6; i++)
        {
            var c = Open(Day1.AddMinutes(i));
            c.Assign(_ann.Id, "Ann", Actor.System, c.CreatedAt);
            if (i <= 4)
            {
                c.ReplyFromAgent(_ann.Id, "Ann", new MessageContent("On it"), false, null, c.CreatedAt.AddMinutes(i));
                c.ReplyFromAgent(_ann.Id, "Ann", new MessageContent("Done"), false, null, c.CreatedAt.AddMinutes(i + 1));
                c.ChangeStatus(ConversationStatus.Resolved, Actor.System, c.CreatedAt.AddHours(i));
                if (i <= 2)
                {
                    ratings.Add(CsatRating.Submit(c, i == 1 ? 5 : 3, null, c.CreatedAt.AddHours(i + 1)).Value!);
                }
            }
            else if (i == 5)
            {
                c.ReplyFromAgent(_bo.Id, "Bo", new MessageContent("Hello"), false, null, c.CreatedAt.AddMinutes(10));
                c.ReplyFromAgent(_ann.Id, "Ann", new MessageContent("Taking over"), false, null, c.CreatedAt.AddMinutes(20));
            }
            else
            {
                c.ReplyFromAgent(_ann.Id, "Ann", new MessageContent("Note to self"), true, null, c.CreatedAt.AddMinutes(5));
            }
        }

        // Day 2: one conversation assigned to Bo, answered by him after 30 minutes and resolved after a day; out of the period: one more of Bo's.
        var day2 = Open(Day1.AddDays(1));
        day2.Assign(_bo.Id, "Bo", Actor.System, day2.CreatedAt);
        day2.ReplyFromAgent(_bo.Id, "Bo", new MessageContent("Hi"), false, null, day2.CreatedAt.AddMinutes(30));
        day2.ChangeStatus(ConversationStatus.Resolved, Actor.System, day2.CreatedAt.AddDays(1));
        var april = Open(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
        april.Assign(_bo.Id, "Bo", Actor.System, april.CreatedAt);

        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            db.Contacts.AddRange(contacts);
            db.Conversations.AddRange(conversations);
            var saved = await db.SaveChangesAsync();
            sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AddRange(ratings);
            return saved + await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<Agent> AgentAsync(string name) => await _db.InScopeAsync(async sp =>
    {
        var user = new ApplicationUser { UserName = $"{name}@t.local", Email = $"{name}@t.local", DisplayName = name };
        Assert.True((await sp.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, "Test-pass-123")).Succeeded);
        var agent = Agent.Create(user.Id, name, user.Email, StaffRole.Agent, Capacity.Default, Day1).Value!;
        var db = sp.GetRequiredService<IApplicationDbContext>();
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        return agent;
    });

    private Task<IReadOnlyList<AgentPerformanceRow>> AgentsAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ReportQueries>().AgentsAsync(March, CancellationToken.None));

    [Fact]
    public async Task Agents_Live_CountsAssignedHandledRepliesFirstResponsesResolutionAndCsatPerAgent()
    {
        var rows = await AgentsAsync();

        Assert.Equal(["Ann", "Bo"], rows.Select(r => r.Agent));
        Assert.Equal(
            new AgentPerformanceRow(_ann.Id.Value, "Ann", 6, 5, 9, 4, 2.0, 4.0, 4, 120.0, 240.0, 2, 4.0, 0.5),
            rows[0]);
        Assert.Equal(
            new AgentPerformanceRow(_bo.Id.Value, "Bo", 1, 2, 2, 2, 10.0, 30.0, 1, 1440.0, 1440.0, 0, null, null),
            rows[1]);
    }

    [Fact]
    public async Task Agents_AfterRollUp_AgreeWithTheLiveReportWithinTheHistogramBuckets()
    {
        var live = await AgentsAsync();

        var rolled = await _db.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpAsync(CancellationToken.None));
        var agentRows = await _db.InScopeAsync(sp => sp.GetRequiredService<IReportsDbContext>().AgentDailyRollups.AsNoTracking().ToListAsync());
        var fromRollups = await AgentsAsync();

        Assert.Equal(4, agentRows.Count); // Mar 2 Ann, Mar 2 Bo, Mar 3 Bo, Apr 1 Bo (assigned, outside the period)
        Assert.True(rolled.Days > 0);
        Assert.Equal(live.Count, fromRollups.Count);
        for (var i = 0; i < live.Count; i++)
        {
            var (l, r) = (live[i], fromRollups[i]);
            Assert.Equal(
                (l.AgentId, l.Agent, l.Assigned, l.Handled, l.Replies, l.FirstResponses, l.Resolved, l.Ratings, l.CsatAverage, l.CsatSatisfied),
                (r.AgentId, r.Agent, r.Assigned, r.Handled, r.Replies, r.FirstResponses, r.Resolved, r.Ratings, r.CsatAverage, r.CsatSatisfied));
            Assert.Equal(Bucket(l.FirstResponseMedian), r.FirstResponseMedian);
            Assert.Equal(Bucket(l.FirstResponseP90), r.FirstResponseP90);
            Assert.Equal(Bucket(l.ResolutionMedian), r.ResolutionMedian);
            Assert.Equal(Bucket(l.ResolutionP90), r.ResolutionP90);
        }
    }

    [Fact]
    public async Task Agents_RolledUpDay_IsReadFromTheRollupNotTheConversations()
    {
        await _db.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpAsync(CancellationToken.None));

        // A reply added to a rolled-up day afterwards is not seen until that day is rolled up again.
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var c = await db.Conversations.SingleAsync(x => x.Number == 6);
            c.ReplyFromAgent(_bo.Id, "Bo", new MessageContent("Late"), false, null, c.CreatedAt.AddDays(2));
            return await db.SaveChangesAsync();
        });

        Assert.Equal(2, (await AgentsAsync()).Single(r => r.Agent == "Bo").Replies);
        await _db.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpDayAsync(DateOnly.FromDateTime(Day1.UtcDateTime), CancellationToken.None));
        Assert.Equal(3, (await AgentsAsync()).Single(r => r.Agent == "Bo").Replies);
    }

    private static double? Bucket(double? minutes) =>
        minutes is { } m ? TimeHistogram.Percentile(TimeHistogram.Of([m]), 0.5) : null;
}
