using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Events;
using ContactCenter.Application.Sla;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Assist;

/// <summary>
/// The after-hours / overflow assistant of an inbox (setting "assistant": "on", "afterHours" or "overflow"). After a
/// customer's message is committed, outside the team's business hours (or once the customer has waited longer than
/// Assist:Assistant:OverflowAfter) and while no agent has the conversation, it answers from the knowledge base when it is
/// confident (citing and linking the article) and asks whether that helped; it hands over to a person — the conversation
/// stays queued with its whole history, plus a summary note — when asked ("talk to a human", 人工, 转人工…) or when it
/// is not confident. Its messages are bot messages signed as an automated assistant: it never pretends to be a person.
/// </summary>
public sealed class AfterHoursAssistant(
    IApplicationDbContext db,
    IServiceProvider services,
    IOptions<AssistOptions> options,
    TimeProvider time) : IDomainEventHandler<MessageAdded>
{
    public const string InboxSetting = "assistant";

    public async Task HandleAsync(MessageAdded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var settings = options.Value.Assistant;
        if (!settings.Enabled || domainEvent.Direction != MessageDirection.Inbound)
        {
            return;
        }

        // Runs after every customer message, before it is acknowledged: one narrow read decides whether there is anything to do
        // (most inboxes have no assistant, most conversations have an agent) before the conversation itself is loaded.
        var state = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == domainEvent.ConversationId)
            .Join(db.Inboxes, c => c.InboxId, i => i.Id, (c, i) => new { c.AssigneeId, c.AssistantHandedOverAt, c.Status, i.Settings })
            .FirstOrDefaultAsync(cancellationToken);
        if (state is null || state.AssigneeId is not null || state.AssistantHandedOverAt is not null
            || state.Status is ConversationStatus.Closed or ConversationStatus.Resolved)
        {
            return;
        }

        var setting = state.Settings.GetValueOrDefault(InboxSetting)?.Trim().ToLowerInvariant();
        if (setting is not ("on" or "afterhours" or "overflow"))
        {
            return;
        }

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == domainEvent.ConversationId, cancellationToken);
        if (conversation is null || conversation.AssigneeId is not null || conversation.AssistantHandedOverAt is not null)
        {
            return;
        }

        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == domainEvent.MessageId, cancellationToken);
        if (message is null || message.AuthorKind != AuthorKind.Contact)
        {
            return;
        }

        var now = time.GetUtcNow();
        var closed = setting != "overflow" && !await IsOpenAsync(conversation, now, cancellationToken);
        var overflowing = setting != "afterhours" && conversation.WaitingSince is { } since && now - since >= settings.OverflowAfter;
        if (!closed && !overflowing)
        {
            return;
        }

        var chinese = AssistantPhrases.IsChinese(message.Text);
        if (AssistantPhrases.AsksForHuman(message.Text))
        {
            await HandOverAsync(conversation, "the customer asked for a person", closed, chinese, now, cancellationToken);
            return;
        }

        if (AssistantPhrases.SaysItHelped(message.Text) && await AnsweredBeforeAsync(conversation, cancellationToken))
        {
            Say(conversation, chinese ? AssistantPhrases.GladZh : AssistantPhrases.GladEn, now);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var answer = services.GetService<Knowledge.IKnowledgeSearch>() is null ? null
            : await services.GetRequiredService<KnowledgeAnswerer>().AnswerAsync(message.Text, chinese ? Knowledge.KnowledgeLocales.ChineseSimplified : Knowledge.KnowledgeLocales.English, cancellationToken);
        if (answer is null || answer.Confidence < settings.MinConfidence)
        {
            await HandOverAsync(conversation, answer is null ? "no matching article" : $"not confident ({answer.Confidence:0.00})", closed, chinese, now, cancellationToken);
            return;
        }

        var link = ArticleLink(settings, answer.Article);
        Say(conversation, chinese
            ? $"这篇帮助文章可能解答了您的问题：「{answer.Article.Title}」{link}\n有帮助吗？回复“有用”，或回复“转人工”联系客服人员。"
            : $"This help article may answer your question: \"{answer.Article.Title}\" {link}\nDid this help? Reply \"yes\", or \"talk to a human\" to reach a person.", now);
        conversation.RecordAssistantAnswer(answer.Article.Slug, answer.Confidence, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task HandOverAsync(Conversation conversation, string reason, bool closed, bool chinese, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var text = (chinese, closed) switch
        {
            (true, true) => "已为您转接人工客服。我们现在不在工作时间，客服人员上班后会在这里回复您；您可以继续留言补充信息。",
            (true, false) => "已为您转接人工客服，请稍候，客服人员会在这里回复您。",
            (false, true) => "I've passed your conversation to our team. We're closed right now, so a person will reply here when we open — feel free to leave any details in the meantime.",
            _ => "I've passed your conversation to our team; a person will reply here shortly.",
        };
        Say(conversation, text, now);
        // The agent who picks it up gets the whole conversation; the timeline entry adds a short summary for a quick start.
        var summary = await services.GetRequiredService<ConversationSummarizer>().SummarizeAsync(conversation.Id, cancellationToken);
        conversation.HandOverToHuman(summary.Length > 0 ? $"{reason}. Summary: {summary}" : reason, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Say(Conversation conversation, string text, DateTimeOffset now) =>
        conversation.AddSystemMessage(AuthorKind.Bot, options.Value.Assistant.Name, new MessageContent(text), now);

    private Task<bool> AnsweredBeforeAsync(Conversation conversation, CancellationToken cancellationToken) =>
        db.Timeline.AsNoTracking().AnyAsync(t => t.ConversationId == conversation.Id && t.Kind == TimelineKind.AssistantAnswered, cancellationToken);

    private async Task<bool> IsOpenAsync(Conversation conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (conversation.TeamId is not { } teamId)
        {
            return true;
        }

        var calendarId = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.BusinessHoursId).FirstOrDefaultAsync(cancellationToken);
        if (calendarId is null || services.GetService<ISlaDbContext>() is not { } sla)
        {
            return true;
        }

        var calendar = await sla.BusinessHours.AsNoTracking().FirstOrDefaultAsync(c => c.Id == calendarId, cancellationToken);
        return SlaClock.For(calendar).IsOpen(now);
    }

    private static string ArticleLink(AssistantOptions settings, Knowledge.KnowledgeHit article)
    {
        var path = $"/help/{Uri.EscapeDataString(article.Locale)}/{Uri.EscapeDataString(article.Slug)}";
        return string.IsNullOrWhiteSpace(settings.HelpCenterUrl) ? path : settings.HelpCenterUrl.TrimEnd('/') + path;
    }
}

/// <summary>What customers write to reach a person or to say an answer helped (English and Chinese).</summary>
public static class AssistantPhrases
{
    public const string GladEn = "Glad that helped! If you need anything else just write here, or \"talk to a human\" to reach a person.";
    public const string GladZh = "很高兴能帮到您！如需其他帮助请直接留言，或回复“转人工”联系客服人员。";

    private static readonly string[] HumanEn =
    [
        "human", "person", "real person", "agent", "operator", "representative", "someone real", "somebody", "a real", "live chat", "talk to someone",
        "speak to someone", "staff", "customer service", "not a bot", "stop the bot", "no bot", "leave a message",
    ];

    private static readonly string[] HumanZh = ["人工", "转人工", "真人", "客服人员", "客服", "找人", "留言", "接线员", "不要机器人", "机器人"];

    private static readonly string[] HelpedEn = ["yes", "yes thanks", "that helped", "it helped", "helped", "thanks", "thank you", "solved", "perfect", "great"];

    private static readonly string[] HelpedZh = ["有用", "有帮助", "解决了", "谢谢", "好的", "可以了"];

    public static bool IsChinese(string text) => (text ?? "").Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>True when the customer asks for a person, however briefly ("human", "agent pls", "转人工", "我要找真人").</summary>
    public static bool AsksForHuman(string text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        if (HumanZh.Any(p => t.Contains(p, StringComparison.Ordinal)))
        {
            return true;
        }

        var padded = " " + new string(t.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray()) + " ";
        return HumanEn.Any(p => padded.Contains(" " + p + " ", StringComparison.Ordinal) || padded.Contains(" " + p + "s ", StringComparison.Ordinal));
    }

    public static bool SaysItHelped(string text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant().TrimEnd('!', '.', '！', '。', ' ');
        return t.Length <= 30 && (HelpedEn.Any(p => t == p || t.StartsWith(p + " ", StringComparison.Ordinal) || t.StartsWith(p + ",", StringComparison.Ordinal))
            || HelpedZh.Any(p => t.Contains(p, StringComparison.Ordinal)));
    }
}
