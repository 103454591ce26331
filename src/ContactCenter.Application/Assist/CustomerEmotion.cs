using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Assist;
using ContactCenter.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Application.Assist;

/// <summary>
/// Runs inside the ingest transaction for every customer message: scores it (microseconds, no I/O), stores the reading on
/// the message and the conversation, and applies the escalation rule — priority up, the senior skill required, a timeline
/// entry with the reason, and the conversation taken off an agent who lacks the skill so the router gives it to a senior one.
/// </summary>
public sealed class CustomerEmotionStep(IApplicationDbContext db, IOptions<AssistOptions> options)
{
    public async Task ApplyAsync(Conversation conversation, Message message, bool isNewConversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(message);
        var analysis = EmotionAnalyzer.Instance.Analyze(message.Text);
        conversation.RecordEmotion(message, analysis.Label, analysis.Score);

        var settings = options.Value.Escalation;
        if (!settings.Enabled || !analysis.Reading.IsUpset)
        {
            return;
        }

        var previous = new List<EmotionReading>();
        if (!isNewConversation)
        {
            var earlier = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && m.Emotion != null && m.Id != message.Id)
                .OrderByDescending(m => m.CreatedAt).Take(3)
                .Select(m => new { m.Emotion, m.EmotionScore })
                .ToListAsync(cancellationToken);
            previous.AddRange(earlier.AsEnumerable().Reverse().Select(m => new EmotionReading(m.Emotion!.Value, m.EmotionScore ?? 0)));
        }

        var decision = EscalationRule.Decide(analysis.Reading, previous, conversation.EscalationLevel, settings.EscalateFrustrated);
        if (decision.Level == 0)
        {
            return;
        }

        var signals = analysis.Signals.Count > 0 ? $" — {string.Join(", ", analysis.Signals.Distinct().Take(6))}" : "";
        var escalated = conversation.Escalate(decision.Level, decision.Priority, settings.SeniorSkill, settings.SeniorSkillLevel, decision.Reason + signals, now);
        if (!escalated.IsSuccess || !escalated.Value || conversation.AssigneeId is not { } assignee)
        {
            return;
        }

        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignee, cancellationToken);
        if (agent is null || !IsSenior(agent, settings))
        {
            conversation.Unassign(Actor.Assist, now, $"escalated: needs a {settings.SeniorSkill} agent");
        }
    }

    private static bool IsSenior(Agent agent, EscalationOptions settings) =>
        agent.Skills.Any(s => string.Equals(s.Name, settings.SeniorSkill, StringComparison.OrdinalIgnoreCase) && s.Level >= settings.SeniorSkillLevel);
}
