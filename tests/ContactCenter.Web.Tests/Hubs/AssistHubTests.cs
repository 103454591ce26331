using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Assist;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Hubs;

/// <summary>Agent assist and escalation alerts over real Kestrel and SignalR.</summary>
public sealed class AssistHubTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        var sales = await _host.CreateTeamAsync("Sales");
        await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, support.Id);
        await _host.CreateAgentAsync("bob@test.local", "Bob", Domain.Agents.StaffRole.Agent, sales.Id);
        await _host.CreateAgentAsync("sue@test.local", "Sue", Domain.Agents.StaffRole.Supervisor, support.Id);
        _inbox = Domain.Inboxes.Inbox.Create("WhatsApp shop", ChannelKind.WhatsApp, support.Id).Value;
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(_inbox);
            return await db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<ConversationId> ReceiveAsync(string id, string text) => _host.InScopeAsync(async sp =>
        (await sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.WhatsApp, "+14155550123"), "Olga Petrova", id, text),
            CancellationToken.None)).Value.ConversationId);

    private async Task<HubConnection> ConnectAsync(string email)
    {
        var agent = _host.AgentConnection(await _host.SignInAsync(email));
        await agent.StartAsync().Within("the agent to connect");
        return agent;
    }

    [Fact]
    public async Task GetAssist_AgentOfTheTeam_GetsTheSummary_OtherTeamRefused_DraftRefusedWhileLlmOff()
    {
        var conversation = await ReceiveAsync("wamid.A1", "My order 1042 has not arrived. The tracking page shows an error.");
        await using var alice = await ConnectAsync("alice@test.local");
        await using var bob = await ConnectAsync("bob@test.local");

        var assist = await alice.InvokeAsync<AgentHub.AssistDto>(nameof(AgentHub.GetAssist), conversation.Value).Within("the assist");
        Assert.Contains("order 1042", assist.Summary, StringComparison.Ordinal);

        await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync<AgentHub.AssistDto>(nameof(AgentHub.GetAssist), conversation.Value).Within("refused"));
        var draft = await Assert.ThrowsAsync<HubException>(() => alice.InvokeAsync<SuggestedReply>(nameof(AgentHub.DraftReply), conversation.Value).Within("draft"));
        Assert.Contains("off", draft.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AngryCustomer_SupervisorsReceiveTheEscalationAlert()
    {
        await using var sue = await ConnectAsync("sue@test.local");
        var alerts = new TaskCompletionSource<EscalationAlertDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        sue.On<EscalationAlertDto>(nameof(IAgentClient.Escalated), a => alerts.TrySetResult(a));

        var conversation = await ReceiveAsync("wamid.A2", "This is unacceptable!!! Third time I ask, I want a manager NOW or I file a complaint.");

        var alert = await alerts.Task.Within("the escalation alert");
        Assert.Equal((conversation.Value, 1), (alert.ConversationId, alert.Level));
        Assert.Contains("angry", alert.Reason, StringComparison.Ordinal);
    }
}
