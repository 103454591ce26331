using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Conversations.Offers;

public sealed record RespondToOffer(ConversationId ConversationId, bool Accept);

/// <summary>The offered agent accepts (the conversation becomes theirs) or declines (it goes to someone else).</summary>
public sealed class RespondToOfferHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(StaffMember staff, RespondToOffer command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(command);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == command.ConversationId, cancellationToken);
        if (conversation is null)
        {
            return Error.NotFound("The conversation");
        }

        var now = time.GetUtcNow();
        var result = command.Accept
            ? conversation.AcceptOffer(staff.AgentId, staff.DisplayName, now)
            : conversation.DeclineOffer(staff.AgentId, staff.DisplayName, now);
        if (!result.IsSuccess)
        {
            return result;
        }

        if (command.Accept)
        {
            var agent = await db.Agents.FirstAsync(a => a.Id == staff.AgentId, cancellationToken);
            agent.RecordAssignment(now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardChanges();
            return Error.Conflict("conversation.offer_gone", "The offer changed meanwhile (expired or taken).");
        }
    }
}
