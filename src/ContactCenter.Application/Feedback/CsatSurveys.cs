using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Feedback;

public sealed class CsatOptions
{
    public const string Section = "Csat";

    /// <summary>How long after resolution the survey goes out; zero or less turns survey sending off.</summary>
    public TimeSpan SurveyDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the rating link stays valid.</summary>
    public TimeSpan SurveyLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the survey job looks for conversations to survey.</summary>
    public TimeSpan SurveyInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Conversations resolved longer ago than this are never surveyed (so turning surveys on does not mail the whole history).</summary>
    public TimeSpan SurveyWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The public address of the app, for the link in the survey (e.g. https://help.example.com).</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>One survey sent for one conversation (unique per conversation: a conversation is surveyed once).</summary>
public sealed class CsatSurvey
{
    private CsatSurvey() { }

    public Guid Id { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public MessageId MessageId { get; private set; }
    public DateTimeOffset SentAt { get; private set; }

    public static CsatSurvey Sent(ConversationId conversationId, MessageId messageId, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), ConversationId = conversationId, MessageId = messageId, SentAt = now };
}

/// <summary>Signed, time-limited rating links (implemented with ASP.NET Core Data Protection in Web).</summary>
public interface ICsatSurveyLinks
{
    /// <summary>The absolute link to the rating page of a conversation.</summary>
    string LinkFor(ConversationId conversationId, string? locale);

    /// <summary>The conversation a token was issued for; an error when it is forged, damaged or expired.</summary>
    Result<ConversationId> Read(string token);
}

/// <summary>
/// Sends the CSAT survey of resolved email and messaging conversations (the widget rates inline), once per conversation,
/// `Csat:SurveyDelay` after resolution: a bot message with the rating link, sent through the outbox like any reply, and a
/// <see cref="CsatSurvey"/> row (unique per conversation) in the same save, so two nodes never send it twice.
/// </summary>
public sealed partial class CsatSurveySender(IApplicationDbContext db, IFeedbackDbContext feedback, IOutboxDbContext outbox, ICsatSurveyLinks links,
    TimeProvider time, IOptions<CsatOptions> options, ILogger<CsatSurveySender> logger)
{
    private const int Batch = 100;

    private static readonly ChannelKind[] SurveyedChannels = Enum.GetValues<ChannelKind>().Where(OutboxRules.SendsThroughOutbox).ToArray();

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.SurveyDelay;
        if (delay <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var due = now - delay;
        var oldest = due - options.Value.SurveyWindow;
        var candidates = await db.Conversations.AsNoTracking()
            .Where(c => (c.Status == ConversationStatus.Resolved || c.Status == ConversationStatus.Closed)
                && c.ResolvedAt != null && c.ResolvedAt <= due && c.ResolvedAt > oldest && c.MergedIntoId == null
                && SurveyedChannels.Contains(c.Channel)
                && !feedback.CsatSurveys.Any(s => s.ConversationId == c.Id)
                && !feedback.CsatRatings.Any(r => r.ConversationId == c.Id))
            .OrderBy(c => c.ResolvedAt).Select(c => c.Id).Take(Batch)
            .ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var id in candidates)
        {
            sent += await SendAsync(id, now, cancellationToken) ? 1 : 0;
        }

        return sent;
    }

    private async Task<bool> SendAsync(ConversationId id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return false;
        }

        var locale = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.Locale).FirstOrDefaultAsync(cancellationToken);
        var link = links.LinkFor(id, locale);
        var text = CsatSurveyTexts.For(locale).Message(conversation.Number, link);
        var message = conversation.AddSystemMessage(AuthorKind.Bot, "CSAT survey", new MessageContent(text), now);
        if (!message.IsSuccess)
        {
            db.DiscardChanges();
            return false;
        }

        outbox.Outbox.Add(OutboxItem.For(message.Value.Id, conversation.Id, conversation.InboxId, conversation.Channel, now));
        feedback.CsatSurveys.Add(CsatSurvey.Sent(conversation.Id, message.Value.Id, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException)
        {
            // Another node surveyed it (or the conversation changed under us): nothing sent here; a changed one is retried next run.
            LogSkipped(logger, conversation.Number);
            return false;
        }
        finally
        {
            db.DiscardChanges();
        }
    }

    [LoggerMessage(EventId = 9310, Level = LogLevel.Debug, Message = "CSAT survey of conversation #{Number} not sent here (surveyed elsewhere or changed)")]
    private static partial void LogSkipped(ILogger logger, long number);
}

/// <summary>The survey's texts (en, zh-CN), for the message and the rating page.</summary>
public sealed record CsatSurveyTexts(string Lang, string Title, string Intro, string ScoreLabel, string CommentLabel, string Submit, string Thanks,
    string AlreadyRated, string Invalid, string NotEnded, string MessageTemplate)
{
    public static readonly CsatSurveyTexts English = new("en", "How did we do?", "Please rate conversation #{0}.", "Your rating (1 = poor, 5 = excellent)",
        "Comment (optional)", "Send", "Thank you for your feedback.", "This conversation has already been rated ({0}/5). Thank you.",
        "This rating link is invalid or has expired.", "This conversation cannot be rated yet.",
        "How did we do? Please rate this conversation (#{0}): {1}");

    public static readonly CsatSurveyTexts Chinese = new("zh-CN", "您对我们的服务满意吗？", "请为对话 #{0} 评分。", "您的评分（1 = 很差，5 = 非常好）",
        "意见（可选）", "提交", "感谢您的反馈。", "此对话已评分（{0}/5）。谢谢。",
        "此评分链接无效或已过期。", "此对话暂时无法评分。",
        "您对我们的服务满意吗？请为此对话（#{0}）评分：{1}");

    public static CsatSurveyTexts For(string? locale) =>
        locale is not null && locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    public string Message(long number, string link) => string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageTemplate, number, link);
}

public sealed record SurveyConversation(long Number, bool Ended, int? Score);

/// <summary>The anonymous rating page's use cases: what to show for a token, and recording the rating (once).</summary>
public sealed class CsatSurveyRatings(IApplicationDbContext db, IFeedbackDbContext feedback, ICsatSurveyLinks links, TimeProvider time)
{
    public async Task<Result<SurveyConversation>> ShowAsync(string token, CancellationToken cancellationToken)
    {
        var id = links.Read(token);
        if (!id.IsSuccess)
        {
            return id.Error!;
        }

        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == id.Value).Select(c => new { c.Number, c.Status }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return Error.NotFound("The conversation");
        }

        var score = await feedback.CsatRatings.AsNoTracking().Where(r => r.ConversationId == id.Value).Select(r => (int?)r.Score).FirstOrDefaultAsync(cancellationToken);
        return new SurveyConversation(conversation.Number, conversation.Status is ConversationStatus.Resolved or ConversationStatus.Closed, score);
    }

    /// <summary>Records the rating; a conversation already rated is refused (`csat.already_rated`), the first rating stands.</summary>
    public async Task<Result<RateConversationResult>> RateAsync(string token, int score, string? comment, CancellationToken cancellationToken)
    {
        var id = links.Read(token);
        if (!id.IsSuccess)
        {
            return id.Error!;
        }

        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id.Value, cancellationToken);
        if (conversation is null)
        {
            return Error.NotFound("The conversation");
        }

        if (await feedback.CsatRatings.AsNoTracking().AnyAsync(r => r.ConversationId == id.Value, cancellationToken))
        {
            return Error.Conflict("csat.already_rated", "This conversation has already been rated.");
        }

        var rating = CsatRating.Submit(conversation, score, comment, time.GetUtcNow());
        if (!rating.IsSuccess)
        {
            return rating.Error!;
        }

        feedback.CsatRatings.Add(rating.Value);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            db.DiscardChanges();
            return Error.Conflict("csat.already_rated", "This conversation has already been rated.");
        }

        return new RateConversationResult(rating.Value.Id, conversation.Id.Value, rating.Value.Score, Duplicate: false);
    }
}

/// <summary>
/// Rating links signed with ASP.NET Core Data Protection: the token protects "conversation id|expiry (unix seconds)"; the
/// expiry is checked against the app's <see cref="TimeProvider"/> (`Csat:SurveyLifetime`, 14 days). A forged or damaged
/// token fails to unprotect; an expired one is refused the same way (no detail for the caller).
/// </summary>
public sealed class DataProtectionCsatSurveyLinks(Microsoft.AspNetCore.DataProtection.IDataProtectionProvider provider, TimeProvider time, IOptions<CsatOptions> options)
    : ICsatSurveyLinks
{
    private readonly Microsoft.AspNetCore.DataProtection.IDataProtector _protector = provider.CreateProtector("ContactCenter.Csat.Survey.v1");

    public string LinkFor(ConversationId conversationId, string? locale)
    {
        var expires = (time.GetUtcNow() + options.Value.SurveyLifetime).ToUnixTimeSeconds();
        var token = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(_protector,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{conversationId.Value:N}|{expires}"));
        var baseUrl = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? "http://localhost:5000" : options.Value.PublicBaseUrl.TrimEnd('/');
        var lang = CsatSurveyTexts.For(locale) == CsatSurveyTexts.Chinese ? "?lang=zh-CN" : "";
        return $"{baseUrl}/csat/{token}{lang}";
    }

    public Result<ConversationId> Read(string token)
    {
        var invalid = Error.Validation("csat.token", "This rating link is invalid or has expired.");
        string payload;
        try
        {
            payload = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Unprotect(_protector, token ?? "");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return invalid;
        }
        catch (FormatException)
        {
            return invalid;
        }

        var parts = payload.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var id)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)
            || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return invalid;
        }

        return new ConversationId(id);
    }
}
