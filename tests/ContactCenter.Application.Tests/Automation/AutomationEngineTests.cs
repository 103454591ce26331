using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Automation;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Replies;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Replies;
using ContactCenter.Domain.Sla;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Automation;

/// <summary>Rules fired by real committed events over a SQLite file (the router is not started, so nothing else moves).</summary>
public sealed class AutomationEngineTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private Team _support = default!;
    private Team _billing = default!;
    private Inbox _email = default!;

    public async Task InitializeAsync() => await CreateAsync(null);

    private async Task CreateAsync(IDictionary<string, string?>? settings)
    {
        _db = await SqliteDatabase.CreateAsync(settings);
        _support = Team.Create("Support").Value;
        _billing = Team.Create("Billing").Value;
        _email = Inbox.Create("Mail", ChannelKind.Email, _support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.AddRange(_support, _billing);
            db.Inboxes.Add(_email);
            sp.GetRequiredService<ICannedResponseDbContext>().CannedResponses.Add(
                CannedResponse.Create("refund", "Refund", "We have your refund request and answer within a day.", null, DateTimeOffset.UtcNow).Value);
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<AutomationRuleDto> RuleAsync(string name, AutomationTrigger trigger, AutomationCondition[] conditions, params AutomationAction[] actions)
    {
        var saved = await _db.InScopeAsync(sp => sp.GetRequiredService<AutomationAdministration>()
            .SaveRuleAsync(null, new SaveAutomationRule(name, trigger, 0, true, conditions, actions), CancellationToken.None));
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        return saved.Value;
    }

    private Task<Result<InboundResult>> ReceiveAsync(string who, string externalId, string text, ConversationId? thread = null) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_email.Id, ContactIdentity.Create(ChannelKind.Email.IdentityKind(), who), who, externalId, text, Subject: "Order", ThreadConversationId: thread),
            CancellationToken.None));

    private Task<IReadOnlyList<AutomationFiringDto>> FiringsAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<AutomationAdministration>().FiringsAsync(null, null, 100, CancellationToken.None));

    private Task<Conversation> ConversationAsync(ConversationId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().SingleAsync(c => c.Id == id));

    private Task<int> ChangeAsync(ConversationId id, Action<Conversation> change) =>
        _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            change(await db.Conversations.SingleAsync(c => c.Id == id));
            return await db.SaveChangesAsync();
        });

    [Fact]
    public async Task MessageReceived_MatchingRule_AppliesEveryActionOnceAndAudits()
    {
        var rule = await RuleAsync("Refunds to billing", AutomationTrigger.MessageReceived,
            [new AutomationCondition(ConditionField.MessageContains, "refund"), new AutomationCondition(ConditionField.Channel, "Email")],
            new AutomationAction(AutomationActionKind.AssignTeam, _billing.Id.ToString()),
            new AutomationAction(AutomationActionKind.AddTag, "refund"),
            new AutomationAction(AutomationActionKind.SetPriority, "High"),
            new AutomationAction(AutomationActionKind.SendCannedReply, "/refund"),
            new AutomationAction(AutomationActionKind.NotifySupervisors, "Refund request"));

        var received = await ReceiveAsync("ann@example.com", "m1", "Please REFUND my order");

        var firing = Assert.Single(await FiringsAsync());
        Assert.Equal((AutomationSource.Rule, rule.Id, "MessageReceived", AutomationOutcome.Applied), (firing.Source, firing.SourceId, firing.Event, firing.Outcome));
        Assert.Equal(received.Value.ConversationId.Value, firing.ConversationId);
        Assert.Contains("SendCannedReply(/refund)", firing.ActionsApplied, StringComparison.Ordinal);
        var conversation = await ConversationAsync(received.Value.ConversationId);
        Assert.Equal(_billing.Id, conversation.TeamId);
        Assert.Equal(Priority.High, conversation.Priority);
        Assert.Contains("refund", conversation.Tags);
        var (replies, outbox) = await _db.InScopeAsync(async sp => (
            await sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.AuthorKind == AuthorKind.Bot).ToListAsync(),
            await sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().CountAsync()));
        Assert.Equal("We have your refund request and answer within a day.", Assert.Single(replies).Text);
        Assert.Equal(1, outbox);
        var notification = Assert.Single(_db.Notifier.Pushed.OfType<StaffNotificationDto>());
        Assert.True(notification.ToSupervisors);
        Assert.Equal("Refund request", notification.Text);
    }

    [Fact]
    public async Task MessageReceived_EachEventFiresOnce_NonMatchingNever()
    {
        await RuleAsync("Tag refunds", AutomationTrigger.MessageReceived, [new AutomationCondition(ConditionField.MessageContains, "refund")],
            new AutomationAction(AutomationActionKind.AddTag, "refund"));

        var first = await ReceiveAsync("bo@example.com", "m1", "refund please");
        var thread = first.Value.ConversationId;
        await ReceiveAsync("bo@example.com", "m2", "where is my parcel", thread);
        await ReceiveAsync("bo@example.com", "m3", "still no refund", thread);
        await ReceiveAsync("bo@example.com", "m3", "still no refund", thread); // a retried delivery: the same message, no new event

        var firings = await FiringsAsync();
        Assert.Equal(2, firings.Count);
        Assert.All(firings, f => Assert.Equal(first.Value.ConversationId.Value, f.ConversationId));
    }

    [Fact]
    public async Task StatusChanged_RulesThatTriggerEachOther_EachFireOnceAndStop()
    {
        // Without loop protection these two would flip the status back and forth for ever.
        var reopen = await RuleAsync("Reopen pending", AutomationTrigger.StatusChanged, [new AutomationCondition(ConditionField.Status, "Pending")],
            new AutomationAction(AutomationActionKind.SetStatus, "Open"));
        var park = await RuleAsync("Park open", AutomationTrigger.StatusChanged, [new AutomationCondition(ConditionField.Status, "Open")],
            new AutomationAction(AutomationActionKind.SetStatus, "Pending"));
        var received = await ReceiveAsync("cy@example.com", "m1", "hello");

        await ChangeAsync(received.Value.ConversationId, c => c.ChangeStatus(ConversationStatus.Pending, Actor.System, DateTimeOffset.UtcNow));

        var firings = await FiringsAsync();
        Assert.Equal(2, firings.Count);
        Assert.Single(firings, f => f.SourceId == reopen.Id);
        Assert.Single(firings, f => f.SourceId == park.Id);
        Assert.Equal(ConversationStatus.Pending, (await ConversationAsync(received.Value.ConversationId)).Status);
    }

    [Fact]
    public async Task StatusChanged_MaxDepthOne_ActionsTriggerNoFurtherRule()
    {
        await DisposeAsync();
        await CreateAsync(new Dictionary<string, string?> { ["Automation:MaxDepth"] = "1" });
        var reopen = await RuleAsync("Reopen pending", AutomationTrigger.StatusChanged, [new AutomationCondition(ConditionField.Status, "Pending")],
            new AutomationAction(AutomationActionKind.SetStatus, "Open"));
        await RuleAsync("Tag open", AutomationTrigger.StatusChanged, [new AutomationCondition(ConditionField.Status, "Open")],
            new AutomationAction(AutomationActionKind.AddTag, "reopened"));
        var received = await ReceiveAsync("di@example.com", "m1", "hello");

        await ChangeAsync(received.Value.ConversationId, c => c.ChangeStatus(ConversationStatus.Pending, Actor.System, DateTimeOffset.UtcNow));

        Assert.Equal(reopen.Id, Assert.Single(await FiringsAsync()).SourceId);
        Assert.Equal(ConversationStatus.Open, (await ConversationAsync(received.Value.ConversationId)).Status);
    }

    [Fact]
    public async Task SlaBreach_Rule_EscalatesAndRefusedActionsAreAudited()
    {
        await RuleAsync("Breach escalation", AutomationTrigger.SlaBreach, [],
            new AutomationAction(AutomationActionKind.SetPriority, "Urgent"),
            new AutomationAction(AutomationActionKind.NotifyAgent, "Breached"),
            new AutomationAction(AutomationActionKind.AssignTeam, Guid.NewGuid().ToString()));
        var received = await ReceiveAsync("ed@example.com", "m1", "hello");
        Assert.Empty(await FiringsAsync());

        var now = DateTimeOffset.UtcNow;
        await ChangeAsync(received.Value.ConversationId, c => c.RecordSlaThreshold(SlaMetric.FirstResponse, SlaEventKind.Warning, now, now));
        Assert.Empty(await FiringsAsync());
        await ChangeAsync(received.Value.ConversationId, c => c.RecordSlaThreshold(SlaMetric.FirstResponse, SlaEventKind.Breach, now, now));

        var firing = Assert.Single(await FiringsAsync());
        Assert.Equal(("SlaBreach", AutomationOutcome.Partial), (firing.Event, firing.Outcome));
        Assert.Equal("SetPriority(Urgent)", firing.ActionsApplied);
        Assert.Contains("NotifyAgent(Breached)", firing.Detail, StringComparison.Ordinal);
        Assert.Contains("AssignTeam", firing.Detail, StringComparison.Ordinal);
        Assert.Equal(Priority.Urgent, (await ConversationAsync(received.Value.ConversationId)).Priority);
    }

    [Fact]
    public async Task ApplyMacro_AppliesActionsWithAuditByTheAgent_TeamMacroOnlyForItsTeam()
    {
        var admin = _db.Services.CreateScope().ServiceProvider.GetRequiredService<AutomationAdministration>();
        var macro = (await admin.SaveMacroAsync(null, new SaveMacro("Close as duplicate", null,
            [new AutomationAction(AutomationActionKind.AddTag, "duplicate"), new AutomationAction(AutomationActionKind.SetStatus, "Resolved")]), CancellationToken.None)).Value;
        var billingOnly = (await admin.SaveMacroAsync(null, new SaveMacro("Billing only", _billing.Id.Value,
            [new AutomationAction(AutomationActionKind.AddTag, "x")]), CancellationToken.None)).Value;
        var received = await ReceiveAsync("fi@example.com", "m1", "hello");
        var staff = new StaffMember(AgentId.New(), "user", "Ann", StaffRole.Agent, [_support.Id]);

        var available = await _db.InScopeAsync(sp => sp.GetRequiredService<ApplyMacroHandler>().AvailableAsync(staff, received.Value.ConversationId, CancellationToken.None));
        var applied = await _db.InScopeAsync(sp => sp.GetRequiredService<ApplyMacroHandler>().HandleAsync(staff, received.Value.ConversationId, macro.Id, CancellationToken.None));
        var refused = await _db.InScopeAsync(sp => sp.GetRequiredService<ApplyMacroHandler>().HandleAsync(staff, received.Value.ConversationId, billingOnly.Id, CancellationToken.None));

        Assert.Equal([macro.Id], available.Select(m => m.Id));
        Assert.True(applied.IsSuccess);
        Assert.Equal((AutomationSource.Macro, AutomationOutcome.Applied, "Ann"), (applied.Value.Source, applied.Value.Outcome, applied.Value.AppliedBy));
        Assert.Equal("not_found", refused.Error!.Code);
        var conversation = await ConversationAsync(received.Value.ConversationId);
        Assert.Equal(ConversationStatus.Resolved, conversation.Status);
        Assert.Contains("duplicate", conversation.Tags);
        Assert.Single(await FiringsAsync());
    }
}
