using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Agents;

public sealed class SetPresenceHandler(IApplicationDbContext db, TimeProvider time)
{
    public Task<Result> HandleAsync(AgentId agentId, Presence presence, string? awayReason, CancellationToken cancellationToken) =>
        AgentChange.SaveAsync(db, agentId, agent => agent.SetPresence(presence, awayReason, time.GetUtcNow()), cancellationToken);
}

/// <summary>
/// A supervisor (or admin) sets another agent's presence from the dashboard, e.g. "Away: training" or offline for an agent
/// who left without signing out. Audited; the change raises the usual presence event (the router re-routes, the agent's own
/// console and every supervisor's dashboard hear it live).
/// </summary>
public sealed class SupervisorSetPresenceHandler(IApplicationDbContext db, TimeProvider time, Audit.AuditLog audit)
{
    public async Task<Result> HandleAsync(Common.StaffMember supervisor, Audit.AuditActor actor, AgentId agentId, Presence presence, string? awayReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        if (!supervisor.IsSupervisor)
        {
            return Error.Forbidden("Only supervisors and admins set another agent's state.");
        }

        var from = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => (Presence?)a.Presence).FirstOrDefaultAsync(cancellationToken);
        var set = await AgentChange.SaveAsync(db, agentId, agent => agent.SetPresence(presence, awayReason, time.GetUtcNow()), cancellationToken);
        if (set.IsSuccess)
        {
            await audit.WriteAsync(actor, Audit.AuditActions.AgentPresenceSet, agentId.Value.ToString(),
                new { from = from?.ToString(), to = presence.ToString(), awayReason, by = supervisor.AgentId.Value }, cancellationToken);
        }

        return set;
    }
}

/// <summary>The agent's own email signature: read it, set it.</summary>
public sealed class AgentSignatureHandler(IApplicationDbContext db)
{
    public async Task<string?> GetAsync(AgentId agentId, CancellationToken cancellationToken) =>
        await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Signature).FirstOrDefaultAsync(cancellationToken);

    public Task<Result> SetAsync(AgentId agentId, string? signature, CancellationToken cancellationToken) =>
        AgentChange.SaveAsync(db, agentId, agent => agent.SetSignature(signature), cancellationToken);
}

internal static class AgentChange
{
    /// <summary>Applies a change to the agent and saves it, re-applying it to a fresh copy when an assignment moved the agent's version meanwhile.</summary>
    public static async Task<Result> SaveAsync(IApplicationDbContext db, AgentId agentId, Func<Agent, Result> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
            if (agent is null)
            {
                return Error.NotFound("The agent");
            }

            var set = change(agent);
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
                // The agent was just given work (assignment version moved): reload and apply the change again.
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
