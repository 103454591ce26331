using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Files;
using ContactCenter.Application.Integrations;
using ContactCenter.Application.Privacy;
using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using ContactCenter.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Privacy;

/// <summary>
/// Export and erasure of a contact over the real app, then a search for every personal value of theirs in every text column
/// of every table, in the raw bytes of the database file after VACUUM, in the attachment folder and in the search index.
/// </summary>
public sealed class ContactPrivacyTests : IAsyncLifetime
{
    private const string Name = "Carla Zyxwvutsrq";
    private const string Email = "carla.zyxw@example.org";
    private const string Phone = "+49 151 9876 5432";
    private const string PhoneDigits = "4915198765432";
    private const string ChatText = "my card ends QQ-77123 please help";
    private const string SmsText = "SMS: parcel PX-99081 is late";
    private const string FileMarker = "FILEBYTES-ZQ9912";
    private const string CsatMarker = "Zyxw-was-great";

    private static readonly string[] Personal = [Name, "Zyxwvutsrq", Email, "carla.zyxw", PhoneDigits, "QQ-77123", "PX-99081", FileMarker, CsatMarker];

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Integrations:Webhooks:PollInterval"] = "00:10:00" });
    private ContactId _contactId;
    private ContactId _otherId;
    private string _fileKey = "";

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        var mail = await _host.CreateInboxAsync("Mail", ChannelKind.Email, team.Id);
        var sms = await _host.CreateInboxAsync("SMS", ChannelKind.Sms, team.Id);
        await _host.CreateAgentAsync("admin@test.local", "Ada", StaffRole.Admin, team.Id);
        await _host.CreateAgentAsync("sam@test.local", "Sam", StaffRole.Supervisor, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", StaffRole.Agent, team.Id);

        // A subscriber: deliveries about the contact (message text in their payloads) are queued (never sent: the poll is long).
        await _host.InScopeAsync(sp => sp.GetRequiredService<WebhookSubscriptionService>().CreateAsync(
            new WebhookSubscriptionInput("http://127.0.0.1:9/hook", [WebhookEvents.MessageCreated]), AuditActor.System, CancellationToken.None));

        await _host.InScopeAsync(async sp =>
        {
            var files = sp.GetRequiredService<IFileStorage>();
            _fileKey = "t_" + Guid.NewGuid().ToString("N") + ".txt";
            await files.SaveAsync(_fileKey, new MemoryStream(Encoding.UTF8.GetBytes("scan of the receipt " + FileMarker)), CancellationToken.None);

            var ingest = sp.GetRequiredService<ReceiveInboundMessageHandler>();
            var first = await ingest.HandleAsync(new InboundMessage(mail.Id, ContactIdentity.Create(IdentityKind.Email, Email), Name, "<m1@example.org>", ChatText,
                "<p>" + ChatText + "</p>", [new Attachment("receipt.txt", "text/plain", 31, _fileKey)], "Order for " + Name), CancellationToken.None);
            _contactId = first.Value.ContactId;

            // The same person on another channel: the phone identity joins the contact, the SMS lands in their history.
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var contact = await db.Contacts.SingleAsync(c => c.Id == _contactId);
            contact.AddIdentity(ContactIdentity.Create(IdentityKind.Phone, Phone), DateTimeOffset.UtcNow);
            contact.SetAttribute("loyalty", "gold " + Name, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            var second = await ingest.HandleAsync(new InboundMessage(sms.Id, ContactIdentity.Create(IdentityKind.Phone, Phone), null, "SM1", SmsText), CancellationToken.None);

            // A rated conversation, a raw provider payload naming the phone number, and an unrelated customer who must stay.
            var conversation = await db.Conversations.SingleAsync(c => c.Id == second.Value.ConversationId);
            conversation.ChangeStatus(ConversationStatus.Resolved, Actor.System, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.Add(CsatRating.Submit(conversation, 5, CsatMarker, DateTimeOffset.UtcNow).Value);
            await db.SaveChangesAsync();
            // The raw payload SM1 came from, already processed (a pending row would be processed again by the background worker).
            var raw = WebhookInboxItem.Receive(sms.Id, ChannelKind.Sms, "SM1", "application/x-www-form-urlencoded", "From=%2B" + PhoneDigits + "&Body=SMS", DateTimeOffset.UtcNow);
            raw.Completed(WebhookStatus.Processed, null, DateTimeOffset.UtcNow);
            sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.Add(raw);
            await db.SaveChangesAsync();
            var other = await ingest.HandleAsync(new InboundMessage(mail.Id, ContactIdentity.Create(IdentityKind.Email, "dora@example.net"), "Dora Other", "<m2@example.net>", "unrelated question"), CancellationToken.None);
            _otherId = other.Value.ContactId;
        });
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Export_Supervisor_ZipWithEverythingAboutTheContactAndTheFile()
    {
        using var http = _host.CreateRealClient(await _host.SignInAsync("sam@test.local"));
        using var response = await http.GetAsync($"api/v1/contacts/{_contactId.Value}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);

        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        string json;
        using (var reader = new StreamReader(zip.GetEntry("contact.json")!.Open()))
        {
            json = await reader.ReadToEndAsync();
        }

        using var document = JsonDocument.Parse(json);
        var contact = document.RootElement.GetProperty("contact");
        Assert.Equal((Name, Email, "+" + PhoneDigits), (contact.GetProperty("name").GetString(), contact.GetProperty("email").GetString(), contact.GetProperty("phone").GetString()));
        Assert.Equal(2, contact.GetProperty("identities").GetArrayLength());
        var conversations = document.RootElement.GetProperty("conversations");
        Assert.Equal(2, conversations.GetArrayLength());
        Assert.Contains(ChatText, json, StringComparison.Ordinal);
        Assert.Contains(SmsText, json, StringComparison.Ordinal);
        Assert.Contains(CsatMarker, json, StringComparison.Ordinal);
        Assert.DoesNotContain("unrelated question", json, StringComparison.Ordinal);

        var file = Assert.Single(zip.Entries, e => e.FullName.StartsWith("files/", StringComparison.Ordinal));
        Assert.Equal($"files/{_fileKey}/receipt.txt", file.FullName);
        using var content = new StreamReader(file.Open());
        Assert.Contains(FileMarker, await content.ReadToEndAsync(), StringComparison.Ordinal);

        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<IAuditDbContext>().AuditLog.AsNoTracking().SingleAsync(e => e.Action == AuditActions.ContactExported));
        Assert.Equal((_contactId.Value.ToString(), "sam@test.local"), (audit.Target, audit.ActorName));
    }

    [Fact]
    public async Task ExportAndErase_Agent_Refused()
    {
        using var http = _host.CreateRealClient(await _host.SignInAsync("alice@test.local"));
        using var export = await http.GetAsync($"api/v1/contacts/{_contactId.Value}/export");
        using var erase = await http.PostAsync($"api/v1/contacts/{_contactId.Value}/erase", null);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (export.StatusCode, erase.StatusCode));
    }

    [Fact]
    public async Task Erase_Admin_NoPersonalValueLeftInDatabaseFileStorageOrIndex()
    {
        Assert.NotEmpty(await FindInTablesAsync(_host, Personal));

        using var http = _host.CreateRealClient(await _host.SignInAsync("admin@test.local"));
        using var response = await http.PostAsync($"api/v1/contacts/{_contactId.Value}/erase", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = (await response.Content.ReadFromJsonAsync<EraseSummary>())!;
        Assert.Equal((2, 1, 1), (summary.Conversations, summary.Files, summary.RawPayloads));
        Assert.True(summary.Messages >= 2, $"{summary.Messages} messages erased");

        // Every text and blob column of every table.
        Assert.Empty(await FindInTablesAsync(_host, Personal));

        // The raw bytes of the database, once checkpointed and vacuumed (a copy, the app keeps running).
        var copy = Path.Combine(_host.DataDirectory, "vacuumed.db");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "contactcenter.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            await Exec(connection, $"VACUUM INTO '{copy}'");
        }

        var bytes = await File.ReadAllBytesAsync(copy);
        foreach (var value in Personal)
        {
            Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' is still in the database file");
        }

        // Attachment storage and the search index folder.
        Assert.Null(await _host.InScopeAsync(sp => sp.GetRequiredService<IFileStorage>().SizeAsync(_fileKey, CancellationToken.None)));
        foreach (var path in Directory.EnumerateFiles(_host.DataDirectory, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith(".db", StringComparison.Ordinal) && !p.Contains("contactcenter.db", StringComparison.Ordinal)))
        {
            var content = await File.ReadAllBytesAsync(path);
            Assert.All(Personal, value => Assert.True(IndexOf(content, Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' is still in {path}"));
        }

        // The other customer is untouched; the erasure is audited without the data; the contact still exists, anonymised.
        Assert.NotEmpty(await FindInTablesAsync(_host, ["unrelated question", "dora@example.net"]));
        var audit = await _host.InScopeAsync(sp => sp.GetRequiredService<IAuditDbContext>().AuditLog.AsNoTracking().SingleAsync(e => e.Action == AuditActions.ContactErased));
        Assert.Equal((_contactId.Value.ToString(), "admin@test.local"), (audit.Target, audit.ActorName));
        var erased = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Contacts.AsNoTracking().SingleAsync(c => c.Id == _contactId));
        Assert.Equal((ContactPrivacyService.Placeholder, null, null, 0), (erased.Name, erased.Email, erased.Phone, erased.Identities.Count));
        Assert.Equal(1, await _host.InScopeAsync(sp => sp.GetRequiredService<IIntegrationsDbContext>().WebhookDeliveries.CountAsync(d => d.ContactId == _otherId.Value)));
    }

    [Fact]
    public async Task Erase_UnknownContact_NotFound()
    {
        using var http = _host.CreateRealClient(await _host.SignInAsync("admin@test.local"));
        using var response = await http.PostAsync($"api/v1/contacts/{Guid.NewGuid()}/erase", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>"table.column: value" for every text/blob cell (of every table) that contains one of the values.</summary>
    internal static async Task<List<string>> FindInTablesAsync(ContactCenterHost host, IReadOnlyList<string> values)
    {
        var hits = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "contactcenter.db")};Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var cell = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                    {
                        string s => s,
                        byte[] b => Encoding.UTF8.GetString(b),
                        _ => null,
                    };
                    hits.AddRange(values.Where(v => cell?.Contains(v, StringComparison.OrdinalIgnoreCase) == true).Select(v => $"{table}.{reader.GetName(i)}: {v}"));
                }
            }
        }

        return hits;
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
