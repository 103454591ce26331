using System.Globalization;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Audit;
using ContactCenter.Application.Files;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Privacy;

/// <summary>
/// Retention rules: an inbox with the setting <c>retentionDays</c> = N keeps a conversation for N days after its last
/// message; then the conversation, its messages, timeline, CSAT and attachment files are deleted. Run by a Quartz job
/// (`Privacy:RetentionInterval`); each run is audited with the counts.
/// </summary>
public sealed class RetentionSweeper(IApplicationDbContext db, IFileStorage files, AuditLog audit, TimeProvider time)
{
    public const string Setting = "retentionDays";
    private const int Batch = 200;

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var inboxes = await db.Inboxes.AsNoTracking().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var total = 0;
        foreach (var inbox in inboxes)
        {
            if (!inbox.Settings.TryGetValue(Setting, out var value) || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days <= 0)
            {
                continue;
            }

            var cutoff = now.AddDays(-days);
            var deleted = 0;
            while (true)
            {
                var old = await db.Conversations.Where(c => c.InboxId == inbox.Id && c.LastMessageAt < cutoff).Take(Batch).ToListAsync(cancellationToken);
                if (old.Count == 0)
                {
                    break;
                }

                var ids = old.Select(c => c.Id).ToList();
                var keys = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId)).ToListAsync(cancellationToken))
                    .SelectMany(m => m.Attachments).Select(a => a.StorageKey).Distinct(StringComparer.Ordinal).ToList();
                foreach (var key in keys)
                {
                    await files.DeleteAsync(key, cancellationToken);
                }

                // Messages, timeline, SLA events, CSAT and outbox rows go with the conversation (cascades).
                await db.Conversations.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
                deleted += old.Count;
                db.DiscardChanges();
            }

            if (deleted > 0)
            {
                total += deleted;
                await audit.WriteAsync(AuditActor.System, AuditActions.RetentionDeleted, inbox.Id.Value.ToString(), new { conversations = deleted, days }, cancellationToken);
            }
        }

        return total;
    }
}
