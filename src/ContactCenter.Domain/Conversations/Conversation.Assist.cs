using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Conversations;

/// <summary>Emotion, escalation and the after-hours assistant on a conversation (see docs/adr/018-assist.md).</summary>
public sealed partial class Conversation
{
    /// <summary>How the customer's latest message read (null before any was scored).</summary>
    public EmotionLabel? CustomerEmotion { get; private set; }

    /// <summary>The latest customer message's upset score, 0 (calm) to 1.</summary>
    public double? CustomerEmotionScore { get; private set; }

    /// <summary>The highest escalation level reached (0 none); each level is applied once, so it never flaps.</summary>
    public int EscalationLevel { get; private set; }

    /// <summary>When the assistant handed over to a human (it stays quiet on this conversation from then on).</summary>
    public DateTimeOffset? AssistantHandedOverAt { get; private set; }

    /// <summary>Records how one of this conversation's customer messages reads (scored by the application).</summary>
    public Result RecordEmotion(Message message, EmotionLabel label, double score)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ConversationId != Id || message.AuthorKind != AuthorKind.Contact)
        {
            return Error.Validation("message.emotion", "Only the customer's messages of this conversation are scored.");
        }

        message.SetEmotion(label, score);
        CustomerEmotion = label;
        CustomerEmotionScore = message.EmotionScore;
        return Result.Success();
    }

    /// <summary>
    /// Escalates to <paramref name="level"/> when it is higher than the level reached so far: raises the priority (never
    /// lowers it), requires <paramref name="skill"/>, writes the reason to the timeline and raises <see cref="ConversationEscalated"/>.
    /// Returns false (and changes nothing) when the level was already reached.
    /// </summary>
    public Result<bool> Escalate(int level, Priority priority, string skill, int skillLevel, string reason, DateTimeOffset now)
    {
        if (level <= EscalationLevel)
        {
            return false;
        }

        if (Status == ConversationStatus.Closed || MergedIntoId is not null)
        {
            return Error.Conflict("conversation.closed", "A closed conversation is not escalated.");
        }

        var skills = new Dictionary<string, int>(_requiredSkills, StringComparer.Ordinal)
        {
            [(skill ?? "").Trim().ToLowerInvariant()] = Math.Max(skillLevel, _requiredSkills.GetValueOrDefault((skill ?? "").Trim().ToLowerInvariant())),
        };
        var required = RequireSkills(skills, Actor.Assist, now);
        if (!required.IsSuccess)
        {
            return required.Error!;
        }

        EscalationLevel = level;
        if (priority > Priority)
        {
            ChangePriority(priority, Actor.Assist, now);
        }

        AddTimeline(TimelineKind.Escalated, Actor.Assist, now, to: $"level {level}", note: reason);
        Raise(new ConversationEscalated(Id, TeamId, level, Priority, reason, now));
        if (WaitingSince is not null && AssigneeId is null)
        {
            // Waiting: the queue now needs a senior agent; a pending offer to someone else stands until it ends.
            Raise(new ConversationNeedsAgent(Id, TeamId, now));
        }

        return true;
    }

    /// <summary>The assistant answered (the bot message itself is added with <see cref="AddSystemMessage"/>).</summary>
    public void RecordAssistantAnswer(string articleSlug, double confidence, DateTimeOffset now) =>
        AddTimeline(TimelineKind.AssistantAnswered, Actor.Assistant, now, to: articleSlug,
            note: "confidence " + confidence.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The assistant steps aside for a human; the conversation (already queued) keeps its whole history.</summary>
    public Result HandOverToHuman(string reason, DateTimeOffset now)
    {
        if (AssistantHandedOverAt is not null)
        {
            return Result.Success();
        }

        AssistantHandedOverAt = now;
        UpdatedAt = now;
        AddTimeline(TimelineKind.HandedOver, Actor.Assistant, now, note: reason);
        if (AssigneeId is null && StatusRules.CountsAgainstCapacity(Status))
        {
            MarkWaiting(now);
        }

        return Result.Success();
    }
}
