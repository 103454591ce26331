using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Automation;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Automation;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Application.Tests.Automation;

/// <summary>
/// The per-node rule cache: admin changes on this node apply to the very next event; a rule written by another node (here
/// straight into the database, as another node's save would) is seen once the cache's time-to-live has passed.
/// </summary>
public sealed class AutomationRuleCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _db = default!;
    private Inbox _email = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?> { ["Automation:RuleCacheDuration"] = "00:00:30" },
            services => services.AddSingleton<TimeProvider>(_clock));
        var support = Team.Create("Support").Value;
        _email = Inbox.Create("Mail", ChannelKind.Email, support.Id).Value;
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Teams.Add(support);
            db.Inboxes.Add(_email);
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static SaveAutomationRule TagRule(bool enabled = true) =>
        new("Tag refunds", AutomationTrigger.MessageReceived, 0, enabled, [new AutomationCondition(ConditionField.MessageContains, "refund")],
            [new AutomationAction(AutomationActionKind.AddTag, "refund")]);

    private async Task<IReadOnlyList<string>> TagsAfterMessageAsync(string externalId)
    {
        var received = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_email.Id, ContactIdentity.Create(IdentityKind.Email, externalId + "@example.com"), "Bo", externalId, "a refund please", Subject: "Order"),
            CancellationToken.None));
        Assert.True(received.IsSuccess, received.Error?.Message);
        var conversation = await _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking()
            .SingleAsync(c => c.Id == received.Value.ConversationId));
        return conversation.Tags;
    }

    private Task<T> AdminAsync<T>(Func<AutomationAdministration, Task<T>> work) =>
        _db.InScopeAsync(sp => work(sp.GetRequiredService<AutomationAdministration>()));

    [Fact]
    public async Task ForAsync_RuleSavedOrDisabledOnThisNode_AppliesToTheNextEvent()
    {
        Assert.Empty(await TagsAfterMessageAsync("m1")); // no rule yet: the empty rule set is now cached

        var saved = await AdminAsync(a => a.SaveRuleAsync(null, TagRule(), CancellationToken.None));
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal(["refund"], await TagsAfterMessageAsync("m2"));

        var disabled = await AdminAsync(a => a.SetRuleEnabledAsync(saved.Value.Id, false, CancellationToken.None));
        Assert.True(disabled.IsSuccess);
        Assert.Empty(await TagsAfterMessageAsync("m3"));

        Assert.True((await AdminAsync(a => a.SetRuleEnabledAsync(saved.Value.Id, true, CancellationToken.None))).IsSuccess);
        Assert.Equal(["refund"], await TagsAfterMessageAsync("m4"));

        Assert.True((await AdminAsync(a => a.DeleteRuleAsync(saved.Value.Id, CancellationToken.None))).IsSuccess);
        Assert.Empty(await TagsAfterMessageAsync("m5"));
    }

    [Fact]
    public async Task ForAsync_RuleWrittenByAnotherNode_SeenOnceTheTimeToLiveHasPassed()
    {
        Assert.Empty(await TagsAfterMessageAsync("m1"));

        // Another node's admin saves a rule: this node's cache is not told.
        var rule = AutomationRule.Create("Tag refunds", AutomationTrigger.MessageReceived, 0,
            [new AutomationCondition(ConditionField.MessageContains, "refund")], [new AutomationAction(AutomationActionKind.AddTag, "refund")], true, _clock.GetUtcNow()).Value;
        await _db.InScopeAsync(async sp =>
        {
            sp.GetRequiredService<IAutomationDbContext>().AutomationRules.Add(rule);
            return await sp.GetRequiredService<IApplicationDbContext>().SaveChangesAsync();
        });

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await TagsAfterMessageAsync("m2"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["refund"], await TagsAfterMessageAsync("m3"));
    }
}
