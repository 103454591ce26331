using System.Globalization;
using System.Net;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Audit;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Endpoints;

/// <summary>5,000 conversations (a customer message, an agent reply and a private note each, ~4 KB of text) in January 2026.</summary>
public sealed class ExportFixture : IAsyncLifetime
{
    public const int Count = 5000;
    public const string FormulaName = "=HYPERLINK(\"http://x\")";
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Filler = string.Concat(Enumerable.Repeat("The parcel has not arrived yet, could you check the tracking, please? ", 28));

    public ContactCenterHost Host { get; } = new();
    public Inbox Inbox { get; private set; } = default!;
    public Agent Supervisor { get; private set; } = default!;
    public Agent Admin { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var team = await Host.CreateTeamAsync("Support");
        Inbox = await Host.CreateInboxAsync("Mail", ChannelKind.Email, team.Id);
        Supervisor = await Host.CreateAgentAsync("sue@t.local", "Sue Visor", StaffRole.Supervisor, team.Id);
        Admin = await Host.CreateAgentAsync("ada@t.local", "Ada Min", StaffRole.Admin, team.Id);
        for (var batch = 0; batch < Count / 1000; batch++)
        {
            var first = (batch * 1000) + 1;
            await Host.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<IApplicationDbContext>();
                for (var n = first; n < first + 1000; n++)
                {
                    var (contact, conversation) = Open(n, Jan1.AddMinutes(5 * (n - 1)), n == 1 ? FormulaName : $"Customer {n}");
                    conversation.ReplyFromAgent(Supervisor.Id, "Sue Visor", new MessageContent($"Reply {n}: " + Filler), false, null, conversation.CreatedAt.AddMinutes(3));
                    conversation.ReplyFromAgent(Supervisor.Id, "Sue Visor", new MessageContent($"Note {n}: VIP"), true, null, conversation.CreatedAt.AddMinutes(4));
                    db.Contacts.Add(contact);
                    db.Conversations.Add(conversation);
                }

                await db.SaveChangesAsync();
            });
        }
    }

    public (Contact Contact, Conversation Conversation) Open(long number, DateTimeOffset at, string name)
    {
        var contact = Contact.Create(name, ContactIdentity.Create(IdentityKind.Email, $"c{number}@example.com"), at);
        var conversation = Conversation.Open(number, Inbox.Id, ChannelKind.Email, contact.Id, $"Order {number}", Inbox.DefaultTeamId, Actor.System, at);
        conversation.ReceiveFromContact(name, new MessageContent($"Question {number}: " + Filler), null, at);
        return (contact, conversation);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>GET /api/v1/reports/conversations.csv through a real Kestrel host, parsed back with CsvHelper.</summary>
public sealed class ConversationExportTests(ExportFixture data) : IClassFixture<ExportFixture>
{
    private async Task<HttpClient> SignedInAsync(Agent agent) => data.Host.CreateRealClient(await data.Host.SignInAsync(agent.Email));

    private static CsvReader Parser(TextReader reader, bool header) =>
        new(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = header });

    [Fact]
    public async Task ConversationsCsv_FiveThousandConversations_StreamsEveryRowWithItsTranscriptWhileStillReadingThem()
    {
        using var client = await SignedInAsync(data.Supervisor);

        using var response = await client.GetAsync("api/v1/reports/conversations.csv?from=2026-01-01&to=2026-01-31", HttpCompletionOption.ResponseHeadersRead)
            .Within("export headers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = await reader.ReadLineAsync().Within("export header line");

        // The response has started; the rows (~20 MB, far more than the socket and Kestrel buffers hold) are still being
        // read page by page. A conversation added now at the end of the period must therefore still be in the export.
        await data.Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var (contact, late) = data.Open(99_999, new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero), "Late Larry");
            db.Contacts.Add(contact);
            db.Conversations.Add(late);
            await db.SaveChangesAsync();
        });
        var rows = await Task.Run(() =>
        {
            using var csv = Parser(reader, header: false);
            return csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).Values.Select(v => (string)v).ToArray()).ToList();
        }).Within("export rows");

        Assert.Equal("Number,Created,Channel,Team,Status,Assignee,Contact,Subject,FirstResponseMinutes,ResolutionMinutes,Csat,Tags,Transcript", header);
        Assert.Equal(ExportFixture.Count + 1, rows.Count);
        Assert.Equal([.. Enumerable.Range(1, ExportFixture.Count).Select(n => n.ToString(CultureInfo.InvariantCulture)), "99999"], rows.Select(r => r[0]));
        var first = rows[0];
        Assert.Equal(("2026-01-01T00:00:00Z", "Email", "Support", "'" + ExportFixture.FormulaName, "3"), (first[1], first[2], first[3], first[6], first[8]));
        var transcript = first[12].Split('\n');
        Assert.Equal(2, transcript.Length); // the private note is left out
        Assert.StartsWith("2026-01-01T00:00:00Z =HYPERLINK(\"http://x\") (customer): Question 1: The parcel", transcript[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-01-01T00:03:00Z Sue Visor (agent): Reply 1: The parcel", transcript[1], StringComparison.Ordinal);
        Assert.Equal("Late Larry", rows[^1][6]);
    }

    [Fact]
    public async Task ConversationsCsv_IncludeNotes_OnlyForAdminsAndEveryExportIsAudited()
    {
        using var supervisor = await SignedInAsync(data.Supervisor);
        using var admin = await SignedInAsync(data.Admin);

        using var refused = await supervisor.GetAsync("api/v1/reports/conversations.csv?from=2026-01-01&to=2026-01-01&includeNotes=true");
        var csv = await admin.GetStringAsync("api/v1/reports/conversations.csv?from=2026-01-01&to=2026-01-01&includeNotes=true");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var parser = Parser(new StringReader(csv), header: true);
        var rows = parser.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(288, rows.Count); // one every five minutes on January 1st
        Assert.EndsWith("Sue Visor (note): Note 1: VIP", (string)rows[0]["Transcript"], StringComparison.Ordinal);
        var audit = await data.Host.InScopeAsync(sp => sp.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(AuditActions.ConversationsExported), CancellationToken.None));
        Assert.Contains(audit, e => e.ActorName == "ada@t.local" && e.Details!.Contains("\"includeNotes\":true", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => e.ActorName == "sue@t.local" && e.Details!.Contains("\"includeNotes\":true", StringComparison.Ordinal));
    }
}
