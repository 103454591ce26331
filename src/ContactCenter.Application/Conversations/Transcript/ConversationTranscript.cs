using System.Globalization;
using System.Net;
using System.Text;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Application.Conversations.Transcript;

/// <summary>The whole thread of a conversation (merged ones included), oldest first, for printing and export.</summary>
public sealed record TranscriptDto(ConversationSummaryDto Summary, ContactCardDto Contact, IReadOnlyList<MessageDto> Messages, bool IncludesPrivateNotes)
{
    public string FileName(string extension) => $"conversation-{Summary.Number.ToString(CultureInfo.InvariantCulture)}.{extension}";

    /// <summary>Plain text: a header, then one block per message ("[time] Author (note):" and its text).</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Conversation #{Summary.Number} · {Summary.Subject}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Contact: {Contact.Name}{(Contact.Email is { } e ? $" <{e}>" : "")} · Channel: {Summary.Channel} · Status: {Summary.Status}").AppendLine();
        text.AppendLine(new string('-', 60));
        foreach (var m in Messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC] {m.AuthorName}{(m.IsPrivate ? " (private note)" : "")}:").AppendLine();
            text.AppendLine(m.Text);
            foreach (var a in m.Attachments)
            {
                text.Append(CultureInfo.InvariantCulture, $"  [file] {a.FileName} ({a.SizeBytes} bytes)").AppendLine();
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>A self-contained, printable HTML page; every value is HTML-encoded.</summary>
    public string ToHtml()
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
            .Append(E($"Conversation #{Summary.Number}"))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:800px;margin:2em auto;color:#222}")
            .Append(".m{border-left:3px solid #3949ab;padding:.3em .8em;margin:.8em 0}.m.in{border-color:#00897b}.m.note{border-color:#f9a825;background:#fff8e1}")
            .Append(".meta{color:#666;font-size:.85em}.text{white-space:pre-wrap}</style></head><body>");
        html.Append("<h1>").Append(E($"#{Summary.Number} · {Summary.Subject}")).Append("</h1>");
        html.Append("<p class=\"meta\">").Append(E($"{Contact.Name}{(Contact.Email is { } e ? $" <{e}>" : "")} · {Summary.Channel} · {Summary.Status}")).Append("</p>");
        foreach (var m in Messages)
        {
            var kind = m.IsPrivate ? "m note" : m.Direction == MessageDirection.Inbound ? "m in" : "m out";
            html.Append("<div class=\"").Append(kind).Append("\"><div class=\"meta\">")
                .Append(E($"{m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {m.AuthorName}{(m.IsPrivate ? " · private note" : "")}"))
                .Append("</div><div class=\"text\">").Append(E(m.Text)).Append("</div>");
            foreach (var a in m.Attachments)
            {
                html.Append("<div class=\"meta\">📎 ").Append(E(a.FileName)).Append("</div>");
            }

            html.Append("</div>");
        }

        return html.Append("</body></html>").ToString();
    }
}

/// <summary>Reads a transcript for staff who may view the conversation (not found otherwise, like every other read).</summary>
public sealed class ConversationTranscripts(ConversationQueries queries)
{
    public const int MaxMessages = 20_000;

    public async Task<Result<TranscriptDto>> GetAsync(StaffMember staff, ConversationId id, bool includePrivateNotes, CancellationToken cancellationToken)
    {
        var detail = await queries.DetailAsync(staff, id, 1, cancellationToken);
        if (detail is null)
        {
            return Error.NotFound("The conversation");
        }

        // Page backwards through the thread (merged conversations included) until it is read whole.
        var messages = new List<MessageDto>();
        DateTimeOffset? before = null;
        while (messages.Count < MaxMessages)
        {
            var page = await queries.MessagesAsync(id, before, 500, cancellationToken);
            messages.InsertRange(0, page);
            if (page.Count < 500)
            {
                break;
            }

            before = page[0].CreatedAt;
        }

        var shown = includePrivateNotes ? messages : messages.Where(m => !m.IsPrivate).ToList();
        return new TranscriptDto(detail.Summary, detail.Contact, shown, includePrivateNotes);
    }
}
