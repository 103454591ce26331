using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Feedback;

/// <summary>
/// A customer's satisfaction rating (CSAT, 1–5, with an optional comment) of one ended conversation.
/// One per conversation: the first rating stands. Keeps the agent and team who handled it for reports.
/// </summary>
public sealed class CsatRating : AggregateRoot
{
    public const int MinScore = 1;
    public const int MaxScore = 5;
    public const int MaxCommentLength = 1000;

    private CsatRating() { }

    public Guid Id { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public InboxId InboxId { get; private set; }
    public ContactId ContactId { get; private set; }
    public AgentId? AgentId { get; private set; }
    public TeamId? TeamId { get; private set; }
    public int Score { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The customer rates a conversation that has ended (resolved or closed).</summary>
    public static Result<CsatRating> Submit(Conversation conversation, int score, string? comment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var valid = Validate(score, comment);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (conversation.Status is not (ConversationStatus.Resolved or ConversationStatus.Closed))
        {
            return Error.Conflict("csat.not_ended", "A chat can be rated once it has ended.");
        }

        var trimmed = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        var rating = new CsatRating
        {
            Id = Guid.CreateVersion7(),
            ConversationId = conversation.Id,
            InboxId = conversation.InboxId,
            ContactId = conversation.ContactId,
            AgentId = conversation.AssigneeId,
            TeamId = conversation.TeamId,
            Score = score,
            Comment = trimmed,
            CreatedAt = now,
        };
        rating.Raise(new CsatSubmitted(rating.Id, rating.ConversationId, rating.ContactId, rating.AgentId, rating.TeamId, score, trimmed is not null, now));
        return rating;
    }

    /// <summary>Privacy erasure: the free-text comment goes, the score stays for reports.</summary>
    public void EraseComment() => Comment = null;

    /// <summary>Score 1 to 5; a comment of at most 1000 characters.</summary>
    public static Result Validate(int score, string? comment)
    {
        if (score is < MinScore or > MaxScore)
        {
            return Error.Validation("csat.score", $"A rating is {MinScore} to {MaxScore}.");
        }

        if (comment is { Length: > MaxCommentLength } && comment.Trim().Length > MaxCommentLength)
        {
            return Error.Validation("csat.comment", $"A comment is at most {MaxCommentLength} characters.");
        }

        return Result.Success();
    }
}

/// <summary>A customer rated a conversation (for the console, supervisors and reports).</summary>
public sealed record CsatSubmitted(
    Guid RatingId,
    ConversationId ConversationId,
    ContactId ContactId,
    AgentId? AgentId,
    TeamId? TeamId,
    int Score,
    bool HasComment,
    DateTimeOffset OccurredAt) : IDomainEvent;
