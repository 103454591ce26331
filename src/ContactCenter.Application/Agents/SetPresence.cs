using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Agents;

public sealed class SetPresenceHandler(IApplicationDbContext db, TimeProvider time)
{
    public async Task<Result> HandleAsync(AgentId agentId, Presence presence, string? awayReason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
            if (agent is null)
            {
                return Error.NotFound("The agent");
            }

            var set = agent.SetPresence(presence, awayReason, time.GetUtcNow());
            if (!set.IsSuccess)
            {
                return set;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return Result.Success();
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The agent was just given work (assignment version moved): reload and set presence again.
                db.DiscardChanges();
            }
        }
    }
}

/// <summary>Looks up the agent record of a signed-in user.</summary>
public sealed class AgentDirectory(IApplicationDbContext db)
{
    public Task<Agent?> FindByUserIdAsync(string userId, CancellationToken cancellationToken) =>
        db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.IsActive, cancellationToken);
}
