using ContactCenter.Application.Abstractions;
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

namespace ContactCenter.Application.Tests.Sla;

/// <summary>Due times planned inside the save, from the team's calendar and the first matching policy, over a real SQLite file.</summary>
public sealed class SlaPlannerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 3, 6, 16, 0, 0, TimeSpan.Zero);
    private SqliteDatabase _db = default!;
    private Team _office = default!;
    private Inbox _email = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        _office = Team.Create("Office").Value!;
        _email = Inbox.Create("Mail", ChannelKind.Email, _office.Id).Value!;
        var calendar = BusinessHoursCalendar.Create("Weekdays", "UTC",
            new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new OpeningInterval(d, TimeSpan.FromHours(9), TimeSpan.FromHours(17))),
            [new DateOnly(2026, 3, 9)]).Value!;
        _office.UseBusinessHours(calendar.Id);
        var policy = SlaPolicy.Create("Email", 0, SlaConditions.Any with { Channels = [ChannelKind.Email] }, new Dictionary<Priority, SlaTargets>
        {
            [Priority.Normal] = new(TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(16)),
            [Priority.Urgent] = new(TimeSpan.FromMinutes(30), null, TimeSpan.FromHours(4)),
        }).Value!;
        await _db.InScopeAsync(async sp =>
        {
            var sla = sp.GetRequiredService<ISlaDbContext>();
            sla.BusinessHours.Add(calendar);
            sla.SlaPolicies.Add(policy);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(_office);
            db.Inboxes.Add(_email);
            return await db.SaveChangesAsync();
        });
        _db.Services.GetRequiredService<SlaPlanner>().Invalidate();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Save_NewConversationFridayAfternoon_DueAfterTheWeekendAndTheMondayHoliday()
    {
        var id = await OpenAsync(FridayAfternoon);

        var conversation = await LoadAsync(id);

        // One office hour left on Friday, Monday is a holiday: the second hour is Tuesday 09:00–10:00.
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero), conversation.FirstResponseDueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 30, 0, TimeSpan.Zero), conversation.FirstResponseWarnAt);
        Assert.NotNull(conversation.SlaPolicyId);
    }

    [Fact]
    public async Task Save_PriorityRaised_ReplansWithTheTighterTargets()
    {
        var id = await OpenAsync(FridayAfternoon);

        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.FirstAsync(c => c.Id == id);
            conversation.ChangePriority(Priority.Urgent, Actor.System, FridayAfternoon.AddMinutes(1));
            return await db.SaveChangesAsync();
        });

        var after = await LoadAsync(id);
        Assert.Equal(FridayAfternoon.AddMinutes(30), after.FirstResponseDueAt);
        Assert.Null(after.NextResponseDueAt);
    }

    [Fact]
    public async Task Save_FirstPublicReply_MeetsTheFirstResponseTarget()
    {
        var id = await OpenAsync(FridayAfternoon);

        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.FirstAsync(c => c.Id == id);
            conversation.ReplyFromAgent(AgentId.New(), "Ann", new MessageContent("Looking into it"), false, null, FridayAfternoon.AddMinutes(20));
            return await db.SaveChangesAsync();
        });

        var after = await LoadAsync(id);
        Assert.Null(after.FirstResponseDueAt);
        Assert.NotNull(after.ResolutionDueAt);
    }

    private async Task<ConversationId> OpenAsync(DateTimeOffset at) =>
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var contact = Contact.Create("Ann", ContactIdentity.Create(IdentityKind.Email, $"{Guid.NewGuid():N}@example.com"), at);
            var conversation = Conversation.Open(Conversation.NumberOnSave, _email.Id, ChannelKind.Email, contact.Id, "Invoice", _office.Id, Actor.System, at);
            db.Contacts.Add(contact);
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation.Id;
        });

    private Task<Conversation> LoadAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().FirstAsync(c => c.Id == id));
}
