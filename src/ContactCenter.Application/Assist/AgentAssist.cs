using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Knowledge;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Assist;

/// <summary>A reply the agent may insert into the composer (never sent by itself). Generated texts say so in Source.</summary>
public sealed record SuggestedReply(string Source, string Title, string Text, string? ArticleUrl = null, bool Generated = false);

/// <summary>
/// Agent assist for one conversation: suggested replies from the best-matching public articles and the canned responses,
/// the extractive summary, and — only when Assist:Llm:Enabled — a draft from an OpenAI-compatible model through
/// <see cref="IChatClient"/>, sent with personal data redacted and marked as generated. With the LLM off nothing is sent anywhere.
/// </summary>
public sealed class AgentAssistService(IApplicationDbContext db, Replies.ICannedResponseDbContext cannedDb, IServiceProvider services, IOptions<AssistOptions> options, ConversationSummarizer summarizer)
{
    public const string GeneratedMarker = "[AI draft — review and edit before sending]";
    private const int ContextMessages = 12;

    public Task<string> SummaryAsync(ConversationId id, CancellationToken cancellationToken) => summarizer.SummarizeAsync(id, cancellationToken);

    public async Task<IReadOnlyList<SuggestedReply>> SuggestionsAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var last = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id && m.AuthorKind == AuthorKind.Contact)
            .OrderByDescending(m => m.CreatedAt).Select(m => m.Text).FirstOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(last))
        {
            return [];
        }

        var suggestions = new List<SuggestedReply>();
        var chinese = AssistantPhrases.IsChinese(last);
        if (services.GetService<IKnowledgeSearch>() is { } search)
        {
            var hits = await search.SearchAsync(new KnowledgeQuery(last, chinese ? KnowledgeLocales.ChineseSimplified : KnowledgeLocales.English, Limit: 2), cancellationToken);
            foreach (var hit in hits)
            {
                var url = $"/help/{Uri.EscapeDataString(hit.Locale)}/{Uri.EscapeDataString(hit.Slug)}";
                suggestions.Add(new SuggestedReply("article", hit.Title,
                    chinese ? $"这篇文章应该能帮到您：「{hit.Title}」{url}" : $"This article should help: \"{hit.Title}\" {url}", url));
            }
        }

        var words = Words(last);
        var canned = await cannedDb.CannedResponses.AsNoTracking().Take(500).ToListAsync(cancellationToken);
        suggestions.AddRange(canned
            .Select(c => (c, Overlap: Words(c.Shortcut + " " + c.Title + " " + c.Text).Intersect(words, StringComparer.Ordinal).Count()))
            .Where(x => x.Overlap > 0).OrderByDescending(x => x.Overlap).Take(3)
            .Select(x => new SuggestedReply("canned", x.c.Title, x.c.Text)));
        return suggestions;
    }

    /// <summary>A draft from the configured model, or an error when drafting is off (then no request is made at all).</summary>
    public async Task<Result<SuggestedReply>> DraftAsync(ConversationId id, CancellationToken cancellationToken)
    {
        if (!options.Value.Llm.Enabled || services.GetService<IChatClient>() is not { } client)
        {
            return Error.Conflict("assist.llm_off", "LLM drafting is off (Assist:Llm:Enabled).");
        }

        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return Error.NotFound("The conversation");
        }

        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id && !m.IsPrivate)
            .OrderByDescending(m => m.CreatedAt).Take(ContextMessages)
            .Select(m => new { m.AuthorKind, m.AuthorName, m.Text })
            .ToListAsync(cancellationToken);
        var names = new[] { contact }.Concat(messages.Where(m => m.AuthorKind == AuthorKind.Contact).Select(m => m.AuthorName)).ToList();
        var chat = new List<ChatMessage>
        {
            new(ChatRole.System, "You draft a reply for a customer-service agent. Be brief, polite and factual; do not invent policies. Personal data was replaced by placeholders such as [name] and [email]; keep them as they are."),
        };
        chat.AddRange(messages.AsEnumerable().Reverse().Select(m => new ChatMessage(
            m.AuthorKind == AuthorKind.Contact ? ChatRole.User : ChatRole.Assistant, PiiRedactor.Redact(m.Text, names))));
        var response = await client.GetResponseAsync(chat, new ChatOptions { ModelId = options.Value.Llm.Model, Temperature = 0.3f }, cancellationToken);
        return new SuggestedReply("llm", "AI draft", GeneratedMarker + "\n" + response.Text.Trim(), Generated: true);
    }

    private static HashSet<string> Words(string text) =>
        text.ToLowerInvariant().Split((char[])[' ', ',', '.', '?', '!', ';', ':', '\n', '\t', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 3).ToHashSet(StringComparer.Ordinal);
}
