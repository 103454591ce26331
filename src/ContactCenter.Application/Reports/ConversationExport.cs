using System.Globalization;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Reports;

/// <summary>
/// The conversations opened in a period as CSV, one row each with its transcript, written to a stream as they are read:
/// keyset pages of <see cref="PageSize"/> conversations by (CreatedAt, Number) on the CreatedAt index, each page's messages,
/// contacts and ratings read with one query apiece, written and flushed before the next page is read. Memory holds one page.
/// The transcript cell has one line per message, oldest first: "yyyy-MM-ddTHH:mm:ssZ Author (customer|agent|bot|system): text";
/// private notes are left out unless asked for (the endpoint allows that to admins only) and then marked "note".
/// </summary>
public sealed class ConversationExport(IApplicationDbContext db, IFeedbackDbContext feedback)
{
    public const int PageSize = 500;

    public static readonly string[] Columns =
    [
        "Number", "Created", "Channel", "Team", "Status", "Assignee", "Contact", "Subject", "FirstResponseMinutes", "ResolutionMinutes", "Csat", "Tags", "Transcript",
    ];

    /// <summary>Writes the header and every row; returns how many conversations were written.</summary>
    public async Task<int> WriteCsvAsync(TextWriter writer, ReportRange range, bool includeNotes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(range);
        var (start, end) = (range.Start, range.End);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id.Value, t => t.Name, cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id.Value, a => a.DisplayName, cancellationToken);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        await writer.FlushAsync(cancellationToken);

        var written = 0;
        (DateTimeOffset At, long Number)? after = null;
        while (true)
        {
            var query = db.Conversations.AsNoTracking().Where(c => c.CreatedAt >= start && c.CreatedAt < end);
            if (range.Channel is { } channel)
            {
                query = query.Where(c => c.Channel == channel);
            }

            if (range.TeamId is { } teamId)
            {
                var team = teamId == Guid.Empty ? (TeamId?)null : new TeamId(teamId);
                query = query.Where(c => c.TeamId == team);
            }

            if (after is { } last)
            {
                var (lastAt, lastNumber) = last;
                query = query.Where(c => c.CreatedAt > lastAt || (c.CreatedAt == lastAt && c.Number > lastNumber));
            }

            var page = await query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Number).Take(PageSize)
                .Select(c => new
                {
                    c.Id, c.Number, c.CreatedAt, c.Channel, c.TeamId, c.Status, c.AssigneeId, c.ContactId, c.Subject, c.FirstRespondedAt, c.ResolvedAt, c.Tags,
                })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return written;
            }

            var ids = page.Select(c => c.Id).ToList();
            var contactIds = page.Select(c => c.ContactId).Distinct().ToList();
            var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).Select(c => new { c.Id, c.Name })
                .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
            var scores = await feedback.CsatRatings.AsNoTracking().Where(r => ids.Contains(r.ConversationId)).Select(r => new { r.ConversationId, r.Score })
                .ToDictionaryAsync(r => r.ConversationId, r => r.Score, cancellationToken);
            var messages = (await db.Messages.AsNoTracking()
                    .Where(m => ids.Contains(m.ConversationId) && (includeNotes || !m.IsPrivate))
                    .Select(m => new { m.ConversationId, m.CreatedAt, m.AuthorKind, m.AuthorName, m.IsPrivate, m.Text })
                    .ToListAsync(cancellationToken))
                .ToLookup(m => m.ConversationId);

            var line = new StringBuilder();
            foreach (var c in page)
            {
                var transcript = new StringBuilder();
                foreach (var m in messages[c.Id].OrderBy(m => m.CreatedAt))
                {
                    if (transcript.Length > 0)
                    {
                        transcript.Append('\n');
                    }

                    transcript.Append(Csv.Format(m.CreatedAt)).Append(' ').Append(m.AuthorName)
                        .Append(" (").Append(m.IsPrivate ? "note" : Author(m.AuthorKind)).Append("): ").Append(m.Text);
                }

                Csv.AppendRow(line,
                [
                    c.Number, c.CreatedAt, c.Channel, c.TeamId is { } team ? teams.GetValueOrDefault(team.Value) : null, c.Status,
                    c.AssigneeId is { } agent ? agents.GetValueOrDefault(agent.Value) : null, contacts.GetValueOrDefault(c.ContactId), c.Subject,
                    Minutes(c.CreatedAt, c.FirstRespondedAt), Minutes(c.CreatedAt, c.ResolvedAt), scores.TryGetValue(c.Id, out var score) ? score : null,
                    string.Join(';', c.Tags), transcript.ToString(),
                ]);
            }

            await writer.WriteAsync(line, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            written += page.Count;
            after = (page[^1].CreatedAt, page[^1].Number);
        }
    }

    private static double? Minutes(DateTimeOffset from, DateTimeOffset? to) => to is { } t ? Math.Round((t - from).TotalMinutes, 1) : null;

    private static string Author(AuthorKind kind) => kind switch
    {
        AuthorKind.Contact => "customer",
        AuthorKind.Agent => "agent",
        AuthorKind.Bot => "bot",
        _ => "system",
    };
}
