using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Feedback;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Visitors;

/// <summary>
/// Where the customer's latest chat stands, for a widget that (re)connects: <c>none</c> (never wrote), <c>waiting</c>
/// (for an agent), <c>active</c> (an agent has it), <c>ended</c> (resolved or closed; <see cref="Rated"/> says whether
/// the customer already gave a CSAT rating).
/// </summary>
public sealed record ChatStateDto(Guid? ConversationId, string Status, string? AgentName, bool Rated);

public sealed class ChatStateQuery(IApplicationDbContext db, IFeedbackDbContext feedback)
{
    public async Task<ChatStateDto> GetAsync(ContactId contactId, InboxId inboxId, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == contactId && c.InboxId == inboxId)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.Status, c.AssigneeId })
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return new ChatStateDto(null, "none", null, Rated: false);
        }

        var agentName = conversation.AssigneeId is { } assignee
            ? await db.Agents.AsNoTracking().Where(a => a.Id == assignee).Select(a => a.DisplayName).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (conversation.Status is ConversationStatus.Resolved or ConversationStatus.Closed)
        {
            var rated = await feedback.CsatRatings.AsNoTracking().AnyAsync(r => r.ConversationId == conversation.Id, cancellationToken);
            return new ChatStateDto(conversation.Id.Value, "ended", agentName, rated);
        }

        return new ChatStateDto(conversation.Id.Value, agentName is null ? "waiting" : "active", agentName, Rated: false);
    }
}
