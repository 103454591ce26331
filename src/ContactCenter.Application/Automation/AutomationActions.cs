using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Replies;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Replies;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Application.Automation;

/// <summary>What applying a list of actions did: the actions applied, the ones refused (with why) and the notifications to send after commit.</summary>
public sealed record AppliedActions(IReadOnlyList<string> Applied, IReadOnlyList<string> Refused, IReadOnlyList<StaffNotificationDto> Notifications);

/// <summary>Applies automation actions (of a rule or a macro) to a tracked conversation; the caller saves.</summary>
public sealed class AutomationActionRunner(IApplicationDbContext db, ICannedResponseDbContext canned, IOutboxDbContext outbox)
{
    public async Task<AppliedActions> ApplyAsync(Conversation conversation, IReadOnlyList<AutomationAction> actions, Actor actor, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(actions);
        var applied = new List<string>();
        var refused = new List<string>();
        var notifications = new List<StaffNotificationDto>();
        foreach (var action in actions)
        {
            var result = await ApplyOneAsync(conversation, action, actor, source, now, notifications, cancellationToken);
            if (result.IsSuccess)
            {
                applied.Add(action.ToString());
            }
            else
            {
                refused.Add($"{action}: {result.Error!.Message}");
            }
        }

        return new AppliedActions(applied, refused, notifications);
    }

    private async Task<Result> ApplyOneAsync(Conversation conversation, AutomationAction action, Actor actor, string source, DateTimeOffset now, List<StaffNotificationDto> notifications, CancellationToken cancellationToken)
    {
        switch (action.Kind)
        {
            case AutomationActionKind.AssignTeam:
                {
                    var teamId = new TeamId(Guid.Parse(action.Value));
                    var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken);
                    return team is null ? Error.NotFound("The team") : conversation.MoveToTeam(team.Id, team.Name, actor, now);
                }

            case AutomationActionKind.AssignAgent:
                {
                    var agentId = new AgentId(Guid.Parse(action.Value));
                    var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
                    return agent is null ? Error.NotFound("The agent") : conversation.Assign(agent.Id, agent.DisplayName, actor, now, source);
                }

            case AutomationActionKind.AddTag:
                return conversation.AddTag(action.Value, actor, now);
            case AutomationActionKind.SetPriority:
                return conversation.ChangePriority(Enum.Parse<Priority>(action.Value, true), actor, now);
            case AutomationActionKind.SetStatus:
                return conversation.ChangeStatus(Enum.Parse<ConversationStatus>(action.Value, true), actor, now);
            case AutomationActionKind.SendCannedReply:
                return await SendCannedReplyAsync(conversation, action.Value, now, cancellationToken);
            case AutomationActionKind.NotifySupervisors:
                notifications.Add(new StaffNotificationDto(conversation.Id.Value, conversation.Number, conversation.Subject, true, null, action.Value, source, now));
                return Result.Success();
            case AutomationActionKind.NotifyAgent:
                if (conversation.AssigneeId is not { } assignee)
                {
                    return Error.Conflict("automation.notify", "The conversation has no agent to notify.");
                }

                notifications.Add(new StaffNotificationDto(conversation.Id.Value, conversation.Number, conversation.Subject, false, assignee.Value, action.Value, source, now));
                return Result.Success();
            default:
                return Error.Validation("automation.action", "Unknown action.");
        }
    }

    private async Task<Result> SendCannedReplyAsync(Conversation conversation, string shortcut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = shortcut.TrimStart('/').Trim().ToLowerInvariant();
        var teamId = conversation.TeamId;
        var response = await canned.CannedResponses.AsNoTracking()
            .Where(r => r.Shortcut == key && (r.TeamId == null || r.TeamId == teamId))
            .OrderBy(r => r.TeamId == null)
            .FirstOrDefaultAsync(cancellationToken);
        if (response is null)
        {
            return Error.NotFound($"The canned response /{key}");
        }

        var contactName = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        var text = CannedResponse.Render(response.Text, contactName, null, conversation.Number);
        var message = conversation.AddSystemMessage(AuthorKind.Bot, "Automation", new MessageContent(text), now);
        if (!message.IsSuccess)
        {
            return message.Error!;
        }

        if (OutboxRules.SendsThroughOutbox(conversation.Channel))
        {
            outbox.Outbox.Add(OutboxItem.For(message.Value.Id, conversation.Id, conversation.InboxId, conversation.Channel, now));
        }

        return Result.Success();
    }
}
