using ContactCenter.Domain.Conversations;

namespace ContactCenter.Domain.Assist;

/// <summary>One scored customer message.</summary>
public readonly record struct EmotionReading(EmotionLabel Label, double Score)
{
    public bool IsUpset => Label != EmotionLabel.Calm;
}

/// <summary>What the rule decided: escalate to <see cref="Level"/> (0 = nothing) with this priority and reason.</summary>
public sealed record EscalationDecision(int Level, Priority Priority, string Reason)
{
    public static readonly EscalationDecision None = new(0, Priority.Normal, "");
}

/// <summary>
/// When an upset customer goes to a senior agent. Level 1 ("upset"): an angry message, or a worsening customer — two
/// upset messages in a row, each more upset than the one before. Level 2 ("still angry"): an angry message once already
/// at level 1 and worsening again, or the score at the very top on a later message. Levels only go up one at a time and
/// each is applied once, so a conversation never flaps.
/// </summary>
public static class EscalationRule
{
    /// <summary>A score at or above this is escalated straight to level 2.</summary>
    public const double Furious = 0.9;

    /// <param name="current">The message just received.</param>
    /// <param name="previous">The customer's earlier scored messages in this conversation, oldest first.</param>
    /// <param name="level">The level the conversation has reached so far.</param>
    /// <param name="escalateFrustrated">When true, any upset message (frustrated too) is level 1.</param>
    public static EscalationDecision Decide(EmotionReading current, IReadOnlyList<EmotionReading> previous, int level, bool escalateFrustrated = false)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (!current.IsUpset)
        {
            return EscalationDecision.None;
        }

        var last = previous.Count > 0 ? previous[^1] : (EmotionReading?)null;
        var worsening = last is { IsUpset: true } before && current.Score > before.Score;
        var angry = current.Label == EmotionLabel.Angry;

        if (level >= 1 && (current.Score >= Furious || (angry && worsening)))
        {
            return level >= 2 ? EscalationDecision.None
                : new EscalationDecision(2, Priority.Urgent, $"still upset and worsening (score {Format(current.Score)})");
        }

        if (level >= 1)
        {
            return EscalationDecision.None;
        }

        if (angry)
        {
            return new EscalationDecision(1, Priority.High, $"customer is angry (score {Format(current.Score)})");
        }

        if (worsening)
        {
            return new EscalationDecision(1, Priority.High, $"customer is getting more upset (score {Format(last!.Value.Score)} → {Format(current.Score)})");
        }

        return escalateFrustrated ? new EscalationDecision(1, Priority.High, $"customer is frustrated (score {Format(current.Score)})") : EscalationDecision.None;
    }

    private static string Format(double score) => score.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
