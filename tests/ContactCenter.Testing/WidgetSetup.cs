using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Testing;

/// <summary>Setting up the widget's surroundings: inbox settings, an email inbox behind the offline form, closed business hours.</summary>
public static class WidgetSetup
{
    public static Task SetInboxSettingsAsync(this ContactCenterHost host, InboxId inboxId, params (string Key, string? Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var inbox = await db.Inboxes.SingleAsync(i => i.Id == inboxId);
            foreach (var (key, value) in settings)
            {
                inbox.SetSetting(key, value);
            }

            await db.SaveChangesAsync();
        });
    }

    /// <summary>An email inbox (setting <c>address</c>) routed to <paramref name="team"/>.</summary>
    public static async Task<Inbox> CreateEmailInboxAsync(this ContactCenterHost host, string name, string address, TeamId? team)
    {
        ArgumentNullException.ThrowIfNull(host);
        var inbox = await host.CreateInboxAsync(name, ChannelKind.Email, team);
        await host.SetInboxSettingsAsync(inbox.Id, ("address", address));
        return inbox;
    }

    /// <summary>Gives the team a calendar (UTC) open only on a weekday two days from today, 09:00–17:00: it is closed now.</summary>
    public static async Task<BusinessHoursCalendar> CloseTeamNowAsync(this ContactCenterHost host, TeamId teamId)
    {
        ArgumentNullException.ThrowIfNull(host);
        var openDay = (DayOfWeek)(((int)DateTime.UtcNow.DayOfWeek + 2) % 7);
        var calendar = BusinessHoursCalendar.Create("Weekly " + openDay, "UTC", [new OpeningInterval(openDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17))]).Value;
        await host.InScopeAsync(async sp =>
        {
            sp.GetRequiredService<ISlaDbContext>().BusinessHours.Add(calendar);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var team = await db.Teams.SingleAsync(t => t.Id == teamId);
            team.UseBusinessHours(calendar.Id);
            await db.SaveChangesAsync();
        });
        return calendar;
    }
}
