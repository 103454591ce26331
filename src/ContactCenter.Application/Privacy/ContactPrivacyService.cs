using System.IO.Compression;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Files;
using ContactCenter.Application.Integrations;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Privacy;

/// <summary>An export ready to download: JSON alone, or a zip of <c>contact.json</c> and <c>files/…</c> when there are attachments.</summary>
public sealed record ContactExportFile(string FileName, string ContentType, byte[] Content);

/// <summary>What an erasure changed (counts only: the audit log keeps this, never the data).</summary>
public sealed record EraseSummary(Guid ContactId, int Contacts, int Conversations, int Messages, int Files, int RawPayloads);

/// <summary>
/// The data-subject rights on a contact: export everything we hold about them (machine-readable), and erase it across every
/// channel — contact fields and identities, message text/HTML, attachments (rows and bytes), CSAT comments, timeline names,
/// raw webhook/email payloads, outbound webhook deliveries and reply outbox rows. The rows stay so that reports keep their
/// counts; every personal value in them goes. Contacts merged into this one are included.
/// </summary>
public sealed class ContactPrivacyService(
    IApplicationDbContext db,
    Feedback.IFeedbackDbContext feedback,
    Outbound.IOutboxDbContext outbox,
    Webhooks.IWebhookInboxDbContext webhookInbox,
    Email.IEmailDbContext email,
    IIntegrationsDbContext integrations,
    IFileStorage files,
    AuditLog audit,
    WebhookQueue webhooks,
    TimeProvider time)
{
    public const string Placeholder = "[erased]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task<Result<ContactExportFile>> ExportAsync(ContactId id, AuditActor actor, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return Error.NotFound("The contact");
        }

        var ids = await ContactIdsAsync(id, cancellationToken);
        var merged = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id) && c.Id != id).ToListAsync(cancellationToken);
        var conversations = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.ContactId)).OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var messages = (await db.Messages.AsNoTracking().Where(m => conversationIds.Contains(m.ConversationId) && !m.IsPrivate).ToListAsync(cancellationToken))
            .OrderBy(m => m.CreatedAt).ToLookup(m => m.ConversationId);
        var ratings = await feedback.CsatRatings.AsNoTracking().Where(r => ids.Contains(r.ContactId)).ToListAsync(cancellationToken);
        var attachments = messages.SelectMany(g => g).SelectMany(m => m.Attachments).DistinctBy(a => a.StorageKey).ToList();

        var document = new
        {
            exportedAt = time.GetUtcNow(),
            format = "contactcenter.contact-export.v1",
            contact = ContactData(contact),
            mergedContacts = merged.Select(ContactData),
            conversations = conversations.Select(c => new
            {
                id = c.Id.Value,
                c.Number,
                inboxId = c.InboxId.Value,
                c.Channel,
                c.Subject,
                c.Status,
                c.Priority,
                c.Tags,
                c.Attributes,
                c.CreatedAt,
                c.ResolvedAt,
                c.ClosedAt,
                messages = messages[c.Id].Select(m => new
                {
                    id = m.Id.Value,
                    m.Direction,
                    m.AuthorKind,
                    m.AuthorName,
                    m.Text,
                    m.Html,
                    m.CreatedAt,
                    m.DeliveryStatus,
                    attachments = m.Attachments.Select(a => new { a.FileName, a.ContentType, a.SizeBytes, path = FilePath(a) }),
                }),
            }),
            satisfaction = ratings.Select(r => new { conversationId = r.ConversationId.Value, r.Score, r.Comment, r.CreatedAt }),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        await audit.WriteAsync(actor, AuditActions.ContactExported, id.Value.ToString(), new { conversations = conversations.Count, files = attachments.Count }, cancellationToken);
        var name = $"contact-{id.Value:N}";
        if (attachments.Count == 0)
        {
            return new ContactExportFile(name + ".json", "application/json", json);
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var entry = await zip.CreateEntry("contact.json").OpenAsync(cancellationToken))
            {
                await entry.WriteAsync(json, cancellationToken);
            }

            foreach (var attachment in attachments)
            {
                await using var source = await files.OpenReadAsync(attachment.StorageKey, cancellationToken);
                if (source is null)
                {
                    continue;
                }

                await using var target = await zip.CreateEntry(FilePath(attachment)).OpenAsync(cancellationToken);
                await source.CopyToAsync(target, cancellationToken);
            }
        }

        return new ContactExportFile(name + ".zip", "application/zip", buffer.ToArray());
    }

    public async Task<Result<EraseSummary>> EraseAsync(ContactId id, AuditActor actor, CancellationToken cancellationToken)
    {
        // The router, SLA sweeps or an agent may change one of the conversations meanwhile (optimistic concurrency):
        // the erasure is idempotent, so it simply runs again on fresh rows.
        var filesDeleted = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EraseOnceAsync(id, actor, n => filesDeleted += n, () => filesDeleted, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.DiscardChanges();
            }
        }
    }

    private async Task<Result<EraseSummary>> EraseOnceAsync(ContactId id, AuditActor actor, Action<int> filesDeleted, Func<int> filesTotal, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return Error.NotFound("The contact");
        }

        var ids = await ContactIdsAsync(id, cancellationToken);
        var contacts = await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var needles = PersonalValues(contacts);
        var now = time.GetUtcNow();

        var conversations = await db.Conversations.Where(c => ids.Contains(c.ContactId)).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var messages = await db.Messages.Where(m => conversationIds.Contains(m.ConversationId)).ToListAsync(cancellationToken);
        var messageIds = messages.Select(m => m.Id).ToList();
        var fileKeys = messages.SelectMany(m => m.Attachments).Select(a => a.StorageKey).Distinct(StringComparer.Ordinal).ToList();
        var timeline = await db.Timeline.Where(t => conversationIds.Contains(t.ConversationId)).ToListAsync(cancellationToken);

        conversations.ForEach(c => c.EraseContent(Placeholder, now));
        messages.ForEach(m => m.Erase(Placeholder));
        timeline.ForEach(t => t.Erase(Placeholder));
        contacts.ForEach(c => c.Erase(Placeholder, now));
        (await feedback.CsatRatings.Where(r => ids.Contains(r.ContactId)).ToListAsync(cancellationToken)).ForEach(r => r.EraseComment());

        // Copies of the contact's data outside the conversation model: replies' outbox rows (provider errors quote addresses),
        // outbound webhook deliveries about them, raw inbound webhook payloads and quarantined emails that mention them.
        var raw = 0;
        foreach (var needle in needles)
        {
            var payloads = await webhookInbox.WebhookInbox.Where(w => w.Body.Contains(needle)).ToListAsync(cancellationToken);
            webhookInbox.WebhookInbox.RemoveRange(payloads);
            var quarantined = await email.EmailQuarantine.Where(q => q.From != null && q.From.Contains(needle)).ToListAsync(cancellationToken);
            email.EmailQuarantine.RemoveRange(quarantined);
            fileKeys.AddRange(quarantined.Select(q => q.RawKey));
            raw += payloads.Count + quarantined.Count;
        }

        // Bytes first: should the save fail, the erasure is repeated and finds the rows again; the reverse would orphan files.
        foreach (var key in fileKeys.Distinct(StringComparer.Ordinal))
        {
            filesDeleted(await files.DeleteAsync(key, cancellationToken) ? 1 : 0);
        }

        await db.SaveChangesAsync(cancellationToken);

        // Queue rows other workers may be updating right now: deleted by statement, not by tracked entity (no conflict).
        await outbox.Outbox.Where(o => messageIds.Contains(o.MessageId)).ExecuteDeleteAsync(cancellationToken);
        var guids = ids.Select(c => (Guid?)c.Value).ToList();
        await integrations.WebhookDeliveries.Where(d => guids.Contains(d.ContactId)).ExecuteDeleteAsync(cancellationToken);
        var summary = new EraseSummary(id.Value, contacts.Count, conversations.Count, messages.Count, filesTotal(), raw);
        await audit.WriteAsync(actor, AuditActions.ContactErased, id.Value.ToString(), summary, cancellationToken);
        await webhooks.EnqueueAsync(WebhookEvents.ContactErased, new { contactId = id.Value }, null, cancellationToken);
        return summary;
    }

    /// <summary>The contact and every contact merged into it.</summary>
    private async Task<List<ContactId>> ContactIdsAsync(ContactId id, CancellationToken cancellationToken)
    {
        var merged = await db.Contacts.AsNoTracking().Where(c => c.MergedIntoId == id).Select(c => c.Id).ToListAsync(cancellationToken);
        return [id, .. merged];
    }

    /// <summary>Identity values as raw payloads spell them (phone numbers also without '+'); short values are skipped (too many false hits).</summary>
    private static List<string> PersonalValues(IEnumerable<Contact> contacts) =>
        contacts.SelectMany(c => c.Identities.Select(i => i.Value).Concat(new[] { c.Email, c.Phone }.OfType<string>()))
            .SelectMany(v => v.StartsWith('+') ? new[] { v, v[1..] } : [v])
            .Where(v => v.Length >= 5)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static object ContactData(Contact c) => new
    {
        id = c.Id.Value,
        c.Name,
        c.Email,
        c.Phone,
        c.Locale,
        c.CreatedAt,
        c.UpdatedAt,
        c.Attributes,
        identities = c.Identities.Select(i => new { i.Kind, i.Value }),
    };

    private static string FilePath(Attachment a) => $"files/{a.StorageKey}/{Path.GetFileName(a.FileName)}";
}
