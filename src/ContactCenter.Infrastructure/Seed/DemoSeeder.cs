using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Replies;
using ContactCenter.Domain.Teams;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Infrastructure.Seed;

public sealed class SeedOptions
{
    /// <summary>Seed the demo company (on by default in Development).</summary>
    public bool Demo { get; set; }

    /// <summary>The demo staff password (printed at start-up; never use the demo in production).</summary>
    public string DemoPassword { get; set; } = "Demo!2345";

    /// <summary>When set (Development), an admin API token with exactly this value is created.</summary>
    public string? ApiToken { get; set; }
}

public sealed record DemoUser(string Email, string DisplayName, string Role);

/// <summary>A demo company: two teams, a supervisor, agents, inboxes on several channels and a few conversations.</summary>
public sealed class DemoSeeder(
    ContactCenterDbContext db,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    ApiTokenService tokens,
    IOptions<SeedOptions> options,
    TimeProvider time,
    Application.Sla.SlaPlanner slaPlanner)
{
    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("admin@demo.local", "Ada Admin", Roles.Admin),
        new("supervisor@demo.local", "Sam Supervisor", Roles.Supervisor),
        new("alice@demo.local", "Alice Martin", Roles.Agent),
        new("bob@demo.local", "Bob Chen", Roles.Agent),
        new("chen@demo.local", "陈静 Chen Jing", Roles.Agent),
        new("dana@demo.local", "Dana Ortiz", Roles.Agent),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        var settings = options.Value;
        if (settings.Demo && !await db.Agents.AnyAsync(cancellationToken))
        {
            await SeedDemoAsync(settings.DemoPassword, cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(settings.ApiToken))
        {
            var admin = await users.FindByEmailAsync("admin@demo.local")
                ?? throw new InvalidOperationException("Seed:ApiToken needs the demo admin (Seed:Demo=true).");
            await tokens.CreateAsync(admin.Id, "seed", "admin", settings.ApiToken, cancellationToken);
        }
    }

    private async Task SeedDemoAsync(string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var support = Team.Create("Support", "Orders, shipping, returns and product help").Value;
        var billing = Team.Create("Billing", "Invoices, payments and refunds", RoutingStrategy.RoundRobin).Value;
        db.Teams.AddRange(support, billing);
        SeedSla(billing);
        await db.SaveChangesAsync(cancellationToken);
        slaPlanner.Invalidate();

        var agents = new Dictionary<string, Agent>();
        foreach (var demo in Users)
        {
            var user = new ApplicationUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true, DisplayName = demo.DisplayName };
            Check(await users.CreateAsync(user, password));
            Check(await users.AddToRoleAsync(user, demo.Role));
            var role = Enum.Parse<StaffRole>(demo.Role);
            var agent = Agent.Create(user.Id, demo.DisplayName, demo.Email, role, Capacity.Default, now).Value;
            agents[demo.Email] = agent;
            db.Agents.Add(agent);
        }

        Join(agents["alice@demo.local"], support, ("english", 5), ("returns", 4));
        Join(agents["bob@demo.local"], support, ("english", 4), ("chinese", 3));
        agents["bob@demo.local"].JoinTeam(billing.Id);
        Join(agents["chen@demo.local"], support, ("chinese", 5), ("english", 3));
        agents["chen@demo.local"].SetLocale("zh-CN");
        Join(agents["dana@demo.local"], billing, ("english", 5), ("billing", 5), ("senior", 3));
        agents["supervisor@demo.local"].JoinTeam(support.Id);
        agents["supervisor@demo.local"].JoinTeam(billing.Id);
        agents["admin@demo.local"].JoinTeam(support.Id);
        foreach (var (address, agent) in agents)
        {
            var signature = address == "chen@demo.local"
                ? $"{agent.DisplayName}\nAcme 客户服务部 · 工作日 9:00–18:00"
                : $"{agent.DisplayName}\n{(agent.IsInTeam(support.Id) ? "Acme Customer Care" : "Acme Billing")} · Mon–Fri 9:00–18:00";
            agent.SetSignature(signature);
        }

        var chat = Inbox.Create("Website chat", ChannelKind.WebChat, support.Id, "Hi! 👋 Ask us anything — we usually answer within a minute.").Value;
        chat.SetSetting(ContactCenter.Application.Conversations.Ingest.InboxTeams.Setting, $"{support.Id},{billing.Id}");
        var email = Inbox.Create("support@acme.example", ChannelKind.Email, support.Id).Value;
        email.SetSetting("address", "support@acme.example");
        var billingEmail = Inbox.Create("billing@acme.example", ChannelKind.Email, billing.Id).Value;
        billingEmail.SetSetting("address", "billing@acme.example");
        var whatsapp = Inbox.Create("WhatsApp +1 555 0100", ChannelKind.WhatsApp, support.Id).Value;
        db.Inboxes.AddRange(chat, email, billingEmail, whatsapp);

        db.CustomStatuses.Add(CustomStatus.Create("waiting-on-warehouse", "Waiting on warehouse", ConversationStatus.Pending, "#ff9800").Value);

        var number = 1000L;
        Conversation Start(Inbox inbox, ContactIdentity who, string name, string subject, string text, TimeSpan ago)
        {
            var at = now - ago;
            var contact = db.Contacts.Local.FirstOrDefault(c => c.HasIdentity(who)) ?? Contact.Create(name, who, at);
            if (db.Entry(contact).State == EntityState.Detached)
            {
                db.Contacts.Add(contact);
            }

            var conversation = Conversation.Open(++number, inbox.Id, inbox.Channel, contact.Id, subject, inbox.DefaultTeamId, Actor.Contact(contact.Id, name), at);
            conversation.ReceiveFromContact(name, new MessageContent(text), null, at);
            db.Conversations.Add(conversation);
            return conversation;
        }

        var c1 = Start(email, ContactIdentity.Create(IdentityKind.Email, "maria.garcia@example.com"), "María García", "Order #48213 arrived damaged",
            "Hello, my order #48213 arrived today and the ceramic mug inside was broken. Can you send a replacement?", TimeSpan.FromHours(5));
        var alice = agents["alice@demo.local"];
        c1.Assign(alice.Id, alice.DisplayName, Actor.Router, now - TimeSpan.FromHours(4.9));
        c1.ReplyFromAgent(alice.Id, alice.DisplayName, new MessageContent("I'm sorry to hear that, María! A replacement is on its way; you'll get tracking by email today."), false, null, now - TimeSpan.FromHours(4.5));
        c1.AddTag("damaged", Actor.Agent(alice.Id, alice.DisplayName), now - TimeSpan.FromHours(4.5));
        c1.ChangeStatus(ConversationStatus.Pending, Actor.Agent(alice.Id, alice.DisplayName), now - TimeSpan.FromHours(4.4));

        Start(whatsapp, ContactIdentity.Create(IdentityKind.WhatsApp, "+44 7700 900123"), "Tom Baker", "Where is my parcel?",
            "Hi, tracking says delivered but nothing is here. Order 48377.", TimeSpan.FromMinutes(42));
        var c3 = Start(chat, ContactIdentity.Create(IdentityKind.WidgetVisitor, "demo-visitor-zh"), "王伟", "退货政策",
            "你好，我想退一件毛衣，需要付运费吗？", TimeSpan.FromMinutes(15));
        var chen = agents["chen@demo.local"];
        c3.Assign(chen.Id, chen.DisplayName, Actor.Router, now - TimeSpan.FromMinutes(14));
        c3.ReplyFromAgent(chen.Id, chen.DisplayName, new MessageContent("您好！30天内退货免运费，我来帮您生成退货标签。"), false, null, now - TimeSpan.FromMinutes(13));
        var c4 = Start(billingEmail, ContactIdentity.Create(IdentityKind.Email, "j.okafor@example.org"), "James Okafor", "Charged twice for invoice INV-2291",
            "Hi, my card was charged twice for invoice INV-2291 (€89.00). Please refund one of the charges.", TimeSpan.FromHours(26));
        c4.ChangePriority(Priority.High, Actor.System, now - TimeSpan.FromHours(26));
        Start(chat, ContactIdentity.Create(IdentityKind.WidgetVisitor, "demo-visitor-en"), "Priya Shah", "Discount code not working",
            "The code WINTER20 says it is invalid at checkout.", TimeSpan.FromMinutes(3));
        SeedCannedResponses(billing, now);

        await db.SaveChangesAsync(cancellationToken);
        await db.Counters.Where(c => c.Name == Counter.ConversationNumber)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, number), cancellationToken);
    }

    /// <summary>Saved answers agents insert with "/shortcut" (one for Billing only).</summary>
    private void SeedCannedResponses(Team billing, DateTimeOffset now)
    {
        (string Shortcut, string Title, string Text, TeamId? Team)[] answers =
        [
            ("hi", "Greeting", "Hi {{contact.first_name}}, thanks for reaching out! I'm {{agent.name}} and I'll help you with this.", null),
            ("track", "Where is my order", "You can follow your parcel with the tracking link in your shipping confirmation email. If it has not moved for 3 working days, reply here and I'll open a carrier investigation.", null),
            ("returns", "Returns policy", "You can return most items within 30 days of delivery, free of charge: start the return at acme.example/returns and print the prepaid label.", null),
            ("refund-time", "Refund timing", "Refunds go back to the original payment method within 5 working days of the return reaching our warehouse.", billing.Id),
            ("bye", "Closing", "Is there anything else I can help you with? If not, have a lovely day! (Ref {{conversation.number}})", null),
            ("nihao", "问候（中文）", "{{contact.name}}您好！我是{{agent.name}}，很高兴为您服务。", null),
        ];
        foreach (var (shortcut, title, text, team) in answers)
        {
            db.CannedResponses.Add(CannedResponse.Create(shortcut, title, text, team, now).Value);
        }
    }

    /// <summary>Office hours for Billing (Support runs 24/7), a live-chat policy and a standard policy for everything else.</summary>
    private void SeedSla(Team billing)
    {
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        // Without time-zone data on the machine (a trimmed image) the demo simply has no office calendar.
        var office = Domain.Sla.BusinessHoursCalendar.Create("Office hours (London)", "Europe/London",
            weekdays.Select(d => new Domain.Sla.OpeningInterval(d, TimeSpan.FromHours(8), TimeSpan.FromHours(18))),
            [new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26), new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 25)]);
        if (office.IsSuccess)
        {
            db.BusinessHours.Add(office.Value!);
            billing.UseBusinessHours(office.Value!.Id);
        }

        static Domain.Sla.SlaTargets T(double first, double next, double resolution) =>
            new(TimeSpan.FromMinutes(first), TimeSpan.FromMinutes(next), TimeSpan.FromMinutes(resolution));
        var chat = Domain.Sla.SlaPolicy.Create("Live chat", 0, Domain.Sla.SlaConditions.Any with { Channels = [ChannelKind.WebChat] },
            new Dictionary<Priority, Domain.Sla.SlaTargets>
            {
                [Priority.Low] = T(5, 10, 240),
                [Priority.Normal] = T(2, 5, 120),
                [Priority.High] = T(1, 3, 60),
                [Priority.Urgent] = T(1, 2, 30),
            }).Value!;
        var standard = Domain.Sla.SlaPolicy.Create("Standard", 100, Domain.Sla.SlaConditions.Any,
            new Dictionary<Priority, Domain.Sla.SlaTargets>
            {
                [Priority.Low] = T(8 * 60, 8 * 60, 5 * 24 * 60),
                [Priority.Normal] = T(60, 120, 24 * 60),
                [Priority.High] = T(30, 60, 8 * 60),
                [Priority.Urgent] = T(15, 30, 4 * 60),
            }).Value!;
        db.SlaPolicies.AddRange(chat, standard);
    }

    private static void Join(Agent agent, Team team, params (string Skill, int Level)[] skills)
    {
        agent.JoinTeam(team.Id);
        foreach (var (skill, level) in skills)
        {
            agent.SetSkill(skill, level);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
