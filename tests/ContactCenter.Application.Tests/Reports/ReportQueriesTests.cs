using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Reports;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Reports;

/// <summary>Reports over a real SQLite file with conversations at known times.</summary>
public sealed class ReportQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ReportRange March = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Inbox _email = default!;
    private Inbox _chat = default!;
    private readonly List<Conversation> _conversations = [];
    private readonly List<Contact> _contacts = [];

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _support = Team.Create("Support").Value!;
        _email = Inbox.Create("Mail", ChannelKind.Email, _support.Id).Value!;
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, null).Value!;
        var policy = SlaPolicy.Create("Any", 0, SlaConditions.Any, new Dictionary<Priority, SlaTargets> { [Priority.Normal] = new(TimeSpan.FromMinutes(5), null, TimeSpan.FromHours(1)) }).Value!;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_support);
            db.Inboxes.AddRange(_email, _chat);
            sp.GetRequiredService<ISlaDbContext>().SlaPolicies.Add(policy);
            return await db.SaveChangesAsync();
        });

        // Ten support emails on day 1, answered after 1..10 minutes, the first four resolved after 1..4 hours.
        for (var i = 1; i <= 10; i++)
        {
            var c = Open(_email, Day1.AddMinutes(i), i);
            c.ReplyFromAgent(AgentId.New(), "Ann", new MessageContent("On it"), false, null, c.CreatedAt.AddMinutes(i));
            if (i <= 4)
            {
                c.ChangeStatus(ConversationStatus.Resolved, Actor.System, c.CreatedAt.AddHours(i));
            }
        }

        // Two chats on day 2 (no team), one unanswered; one email outside the period.
        Open(_chat, Day1.AddDays(1), 11).ReplyFromAgent(AgentId.New(), "Bo", new MessageContent("Hi"), false, null, Day1.AddDays(1).AddMinutes(3));
        Open(_chat, Day1.AddDays(1).AddHours(2), 12);
        Open(_email, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), 13);

        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Contacts.AddRange(_contacts);
            db.Conversations.AddRange(_conversations);
            var saved = await db.SaveChangesAsync();
            var events = sp.GetRequiredService<ISlaDbContext>().SlaEvents;
            events.Add(SlaEvent.Record(_conversations[0].Id, _support.Id, SlaMetric.Resolution, SlaEventKind.Breach, Day1, Day1, Day1, "test"));
            events.Add(SlaEvent.Record(_conversations[9].Id, _support.Id, SlaMetric.FirstResponse, SlaEventKind.Breach, Day1, Day1, Day1, "test"));
            events.Add(SlaEvent.Record(_conversations[9].Id, _support.Id, SlaMetric.Resolution, SlaEventKind.Breach, Day1, Day1, Day1, "test"));
            events.Add(SlaEvent.Record(_conversations[8].Id, _support.Id, SlaMetric.FirstResponse, SlaEventKind.Warning, Day1, Day1, Day1, "test"));
            return saved + await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Conversation Open(Inbox inbox, DateTimeOffset at, long number)
    {
        var conversation = Conversation.Open(number, inbox.Id, inbox.Channel, ContactFor(number), $"Question {number}", inbox.DefaultTeamId, Actor.System, at);
        _conversations.Add(conversation);
        return conversation;
    }

    private ContactId ContactFor(long number)
    {
        var contact = Contact.Create($"Customer {number}", ContactIdentity.Create(IdentityKind.Email, $"c{number}@example.com"), Day1);
        _contacts.Add(contact);
        return contact.Id;
    }

    private Task<T> Run<T>(Func<ReportQueries, Task<T>> report) => _db.InScopeAsync(sp => report(sp.GetRequiredService<ReportQueries>()));

    [Fact]
    public async Task Volume_Period_CountsByDayChannelAndTeam()
    {
        var rows = await Run(q => q.VolumeAsync(March, CancellationToken.None));

        Assert.Equal(
            [new VolumeRow(new DateOnly(2026, 3, 2), ChannelKind.Email, "Support", 10), new VolumeRow(new DateOnly(2026, 3, 3), ChannelKind.WebChat, "No team", 2)],
            rows);
    }

    [Fact]
    public async Task ResponseTimes_Period_MedianAndP90InMinutes()
    {
        var rows = await Run(q => q.ResponseTimesAsync(March, CancellationToken.None));

        var email = Assert.Single(rows, r => r.Channel == ChannelKind.Email);
        Assert.Equal((10, 10, 5.0, 9.0), (email.Conversations, email.Responded, email.FirstResponseMedian, email.FirstResponseP90));
        Assert.Equal((4, 120.0, 240.0), (email.Resolved, email.ResolutionMedian, email.ResolutionP90));
        var chat = Assert.Single(rows, r => r.Channel == ChannelKind.WebChat);
        Assert.Equal((2, 1, 3.0, (double?)null), (chat.Conversations, chat.Responded, chat.FirstResponseMedian, chat.ResolutionMedian));
    }

    [Fact]
    public async Task Reports_ChannelOrTeamFilter_KeepOnlyThatChannelOrTeam()
    {
        var chats = await Run(q => q.VolumeAsync(March with { Channel = ChannelKind.WebChat }, CancellationToken.None));
        var support = await Run(q => q.ResponseTimesAsync(March with { TeamId = _support.Id.Value }, CancellationToken.None));
        var noTeam = await Run(q => q.SlaComplianceAsync(March with { TeamId = Guid.Empty }, CancellationToken.None));
        var none = await Run(q => q.VolumeAsync(March with { Channel = ChannelKind.WebChat, TeamId = _support.Id.Value }, CancellationToken.None));

        Assert.Equal([new VolumeRow(new DateOnly(2026, 3, 3), ChannelKind.WebChat, "No team", 2)], chats);
        Assert.Equal((ChannelKind.Email, "Support"), (Assert.Single(support).Channel, support[0].Team));
        Assert.Equal("No team", Assert.Single(noTeam).Team);
        Assert.Empty(none);
    }

    [Fact]
    public async Task SlaCompliance_Period_CountsBreachesPerMetricAndTheShareWithout()
    {
        var rows = await Run(q => q.SlaComplianceAsync(March, CancellationToken.None));

        var support = Assert.Single(rows, r => r.Team == "Support");
        Assert.Equal(new SlaComplianceRow("Support", 10, 1, 0, 2, 2, 0.8), support);
        Assert.Equal(1.0, Assert.Single(rows, r => r.Team == "No team").Compliance);
    }

    [Fact]
    public async Task RollUp_ClosedDays_ReportsReadTheRollupsWithTheSameCountsAndBucketedPercentiles()
    {
        var rolled = await _db.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpAsync(CancellationToken.None));
        var again = await _db.InScopeAsync(sp => sp.GetRequiredService<ReportRollupService>().RollUpAsync(CancellationToken.None));

        Assert.Equal(new DateOnly(2026, 3, 2), rolled.From);
        Assert.Equal(3, rolled.Rows); // Mar 2 email/support, Mar 3 chat/no team, Apr 1 email/support
        Assert.Equal(14, again.Days); // only the look-back is rolled again
        var rows = await _db.InScopeAsync(sp => sp.GetRequiredService<IReportsDbContext>().DailyRollups.AsNoTracking().ToListAsync());
        Assert.Equal(3, rows.Count);
        var day1 = Assert.Single(rows, r => r.Day == new DateOnly(2026, 3, 2));
        Assert.Equal((10, 10, 4, 5.0, 9.0, 2), (day1.Conversations, day1.Responded, day1.Resolved, day1.FirstResponseMedian, day1.FirstResponseP90, day1.AnyBreached));

        // A conversation added to a rolled-up day afterwards is not seen: the report reads the roll-up, not the conversations.
        Open(_email, Day1.AddHours(5), 14);
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Contacts.Add(_contacts[^1]);
            db.Conversations.Add(_conversations[^1]);
            return await db.SaveChangesAsync();
        });

        var volume = await Run(q => q.VolumeAsync(March, CancellationToken.None));
        Assert.Equal(
            [new VolumeRow(new DateOnly(2026, 3, 2), ChannelKind.Email, "Support", 10), new VolumeRow(new DateOnly(2026, 3, 3), ChannelKind.WebChat, "No team", 2)],
            volume);
        var email = Assert.Single(await Run(q => q.ResponseTimesAsync(March, CancellationToken.None)), r => r.Channel == ChannelKind.Email);
        Assert.Equal((10, 10, 5.0, 10.0), (email.Conversations, email.Responded, email.FirstResponseMedian, email.FirstResponseP90)); // p90 9 min lies in the (8, 10] bucket
        Assert.Equal((4, 120.0, 240.0), (email.Resolved, email.ResolutionMedian, email.ResolutionP90));
        Assert.Equal(new SlaComplianceRow("Support", 10, 1, 0, 2, 2, 0.8), Assert.Single(await Run(q => q.SlaComplianceAsync(March, CancellationToken.None)), r => r.Team == "Support"));
    }

    [Theory]
    [InlineData(new double[] { 0.5, 1, 1.5, 2, 2.5 }, 0.5, 2.0)]
    [InlineData(new double[] { 100, 100, 100, 5000 }, 0.9, 5760.0)]
    [InlineData(new double[] { 90000 }, 0.5, 43200.0)]
    public void HistogramPercentile_ReturnsTheUpperBoundOfTheBucket(double[] minutes, double p, double expected) =>
        Assert.Equal(expected, TimeHistogram.Percentile(TimeHistogram.Read(TimeHistogram.Write(TimeHistogram.Of(minutes))), p));

    [Fact]
    public void Csv_Rows_QuotesSeparatorsAndNeutralisesFormulas()
    {
        var csv = Csv.Write([new VolumeRow(new DateOnly(2026, 3, 2), ChannelKind.Email, "Sales, \"EU\"", 3), new VolumeRow(new DateOnly(2026, 3, 3), ChannelKind.Sms, "=HYPERLINK(1)", 1)]);

        Assert.Equal("Day,Channel,Team,Conversations\r\n2026-03-02,Email,\"Sales, \"\"EU\"\"\",3\r\n2026-03-03,Sms,'=HYPERLINK(1),1\r\n", csv);
    }

    [Fact]
    public void Create_RangeTooLongOrReversed_IsAValidationError()
    {
        var today = new DateOnly(2026, 3, 31);

        Assert.Equal("validation.report.range", ReportRange.Create(today, today.AddDays(-1), today).Error!.Code);
        Assert.Equal("validation.report.range", ReportRange.Create(today.AddDays(-400), today, today).Error!.Code);
        Assert.Equal(today.AddDays(-29), ReportRange.Create(null, null, today).Value!.From);
    }
}
