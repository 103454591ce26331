using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Templates;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Testing;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Hubs;

/// <summary>The agent hub's ListTemplates / SendTemplate over real Kestrel and SignalR, with the staff visibility rules.</summary>
public sealed class TemplateHubTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Routing:OfflineGrace"] = "00:00:00" });
    private ConversationId _conversation;

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        var sales = await _host.CreateTeamAsync("Sales");
        await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, support.Id);
        await _host.CreateAgentAsync("bob@test.local", "Bob", Domain.Agents.StaffRole.Agent, sales.Id);
        var inbox = Domain.Inboxes.Inbox.Create("WhatsApp shop", ChannelKind.WhatsApp, support.Id).Value;
        inbox.SetSetting("templates", """[{"name":"order_update","language":"en_US","body":"Hi {{1}}, your order {{2}} has shipped.","params":2}]""");
        _conversation = await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
            var received = await sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
                new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.WhatsApp, "+14155550123"), "Olga Petrova", "wamid.HUB.1", "Where is my order?"),
                CancellationToken.None);
            return received.Value.ConversationId;
        });
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task<HubConnection> ConnectAsync(string email)
    {
        var agent = _host.AgentConnection(await _host.SignInAsync(email));
        await agent.StartAsync().Within("the agent to connect");
        return agent;
    }

    [Fact]
    public async Task ListAndSendTemplate_AgentOfTheTeam_GetsTheInboxTemplates_AndTheRenderedReplyIsStoredOnce()
    {
        await using var agent = await ConnectAsync("alice@test.local");

        var templates = await agent.InvokeAsync<IReadOnlyList<MessageTemplate>>(nameof(AgentHub.ListTemplates), _conversation.Value).Within("the templates");
        Assert.Equal(("order_update", "en_US", 2), (Assert.Single(templates).Name, templates[0].Language, templates[0].Params));

        var request = new AgentTemplateRequest(_conversation.Value, "order_update", "en_US", ["Olga", "#A-1042"], "tpl-1");
        var sent = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendTemplate), request).Within("the template send");
        var retried = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendTemplate), request).Within("the retried send");

        Assert.Equal((sent.MessageId, true), (retried.MessageId, retried.Duplicate));
        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.ConversationId == _conversation && m.Direction == MessageDirection.Outbound).ToListAsync());
        var message = Assert.Single(stored);
        Assert.Equal(("Hi Olga, your order #A-1042 has shipped.", "template:en_US:order_update:tpl-1", false), (message.Text, message.ExternalId, message.IsPrivate));
    }

    [Fact]
    public async Task ListAndSendTemplate_AgentOfAnotherTeam_RefusedAsNotFound()
    {
        await using var agent = await ConnectAsync("bob@test.local");

        var list = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<IReadOnlyList<MessageTemplate>>(nameof(AgentHub.ListTemplates), _conversation.Value).Within("list"));
        var send = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendTemplate),
            new AgentTemplateRequest(_conversation.Value, "order_update", "en_US", ["Olga", "#1"], null)).Within("send"));

        Assert.Contains("not found", list.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not found", send.Message, StringComparison.OrdinalIgnoreCase);
    }
}
