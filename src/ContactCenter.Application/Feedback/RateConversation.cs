using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Feedback;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Feedback;

/// <summary>A web chat customer rates their latest conversation on an inbox (CSAT 1–5, optional comment).</summary>
public sealed record RateConversation(ContactId ContactId, InboxId InboxId, int Score, string? Comment);

/// <param name="Duplicate">The conversation was already rated: nothing changed, the stored rating is returned.</param>
public sealed record RateConversationResult(Guid RatingId, Guid ConversationId, int Score, bool Duplicate);

/// <summary>One rating per conversation; a retry (or a second rating) stores nothing and answers with the first.</summary>
public sealed class RateConversationHandler(IApplicationDbContext db, IFeedbackDbContext feedback, TimeProvider time)
{
    public async Task<Result<RateConversationResult>> HandleAsync(RateConversation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var valid = CsatRating.Validate(command.Score, command.Comment);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == command.ContactId && c.InboxId == command.InboxId)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return Error.NotFound("The conversation");
        }

        for (var attempt = 0; ; attempt++)
        {
            var existing = await ExistingAsync(conversation.Id, cancellationToken);
            if (existing is not null)
            {
                return existing;
            }

            var rating = CsatRating.Submit(conversation, command.Score, command.Comment, time.GetUtcNow());
            if (!rating.IsSuccess)
            {
                return rating.Error!;
            }

            feedback.CsatRatings.Add(rating.Value);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new RateConversationResult(rating.Value.Id, conversation.Id.Value, rating.Value.Score, Duplicate: false);
            }
            catch (DbUpdateException ex) when (attempt < 2 && db.IsUniqueViolation(ex))
            {
                // Rated concurrently (two tabs): the other one won; answer with it.
                db.DiscardChanges();
            }
        }
    }

    private async Task<RateConversationResult?> ExistingAsync(ConversationId conversationId, CancellationToken cancellationToken)
    {
        var existing = await feedback.CsatRatings.AsNoTracking().FirstOrDefaultAsync(r => r.ConversationId == conversationId, cancellationToken);
        return existing is null ? null : new RateConversationResult(existing.Id, existing.ConversationId.Value, existing.Score, Duplicate: true);
    }
}
