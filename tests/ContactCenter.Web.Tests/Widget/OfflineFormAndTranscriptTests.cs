using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Visitors;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Domain.Teams;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using ContactCenter.Web.Tests.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>
/// The widget's offline form (POST /api/v1/widget/offline-messages → an email conversation) and the transcript by email
/// (ChatHub.RequestTranscript → an outbox email), over the real app and its SQLite database.
/// </summary>
public sealed class OfflineFormAndTranscriptTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Widget:Forms:OfflineMessagesPerHour"] = "2", ["Widget:Forms:TranscriptsPerHour"] = "2" });
    private Team _team = default!;
    private Inbox _chat = default!;
    private Inbox _mail = default!;

    public async Task InitializeAsync()
    {
        _team = await _host.CreateTeamAsync("Support");
        _chat = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, _team.Id);
        await _host.CreateEmailInboxAsync("Another mailbox", "other@shop.test", _team.Id);
        _mail = await _host.CreateEmailInboxAsync("Support mail", "help@shop.test", _team.Id);
        await _host.SetInboxSettingsAsync(_chat.Id, (WidgetOfflineSettings.OfflineEmailInboxId, _mail.Id.Value.ToString()));
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Task<WidgetSessionResponse> SessionAsync(string name) => _host.WidgetSessionAsync(_chat.Id.Value, name);

    private async Task<HttpResponseMessage> PostOfflineAsync(string? token, WidgetOfflineRequest request)
    {
        using var http = _host.CreateRealClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/widget/offline-messages") { Content = JsonContent.Create(request) };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(message);
    }

    private Task<List<Conversation>> ConversationsAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync());

    private Task<List<OutboxItem>> OutboxAsync() =>
        _host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().ToListAsync());

    private async Task<JsonElement> AvailabilityAsync()
    {
        using var http = _host.CreateRealClient();
        var config = await http.GetFromJsonAsync<JsonElement>($"api/v1/widget/config/{_chat.Id.Value}");
        return config.GetProperty("availability");
    }

    [Fact]
    public async Task Config_OutsideBusinessHours_OffersOfflineForm_WithNextOpening()
    {
        await using var agent = _host.AgentConnection(await _host.SignInAsync((await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, _team.Id)).Email));
        await agent.StartAsync().Within("agent connect");
        await Waits.UntilAsync(async () => (await AvailabilityAsync()).GetProperty("online").GetBoolean(), "live chat to be on while Alice is online in open hours");

        await _host.CloseTeamNowAsync(_team.Id);

        var availability = await AvailabilityAsync();
        Assert.False(availability.GetProperty("online").GetBoolean());
        Assert.Equal("closed", availability.GetProperty("reason").GetString());
        Assert.True(availability.GetProperty("offlineForm").GetBoolean());
        Assert.True(availability.GetProperty("transcripts").GetBoolean());
        var opensAt = availability.GetProperty("opensAt").GetDateTimeOffset();
        Assert.InRange(opensAt, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(3));
        Assert.Equal(9, opensAt.ToUniversalTime().Hour);
    }

    [Fact]
    public async Task Config_NoAgentOnline_OffersOfflineForm_UnlessTheInboxKeepsLiveChat()
    {
        var nobody = await AvailabilityAsync();
        Assert.Equal("no_agents", nobody.GetProperty("reason").GetString());
        Assert.True(nobody.GetProperty("offlineForm").GetBoolean());

        await _host.SetInboxSettingsAsync(_chat.Id, (WidgetOfflineSettings.OfflineWhenNoAgents, "false"));

        var queueing = await AvailabilityAsync();
        Assert.True(queueing.GetProperty("online").GetBoolean());
        Assert.False(queueing.GetProperty("offlineForm").GetBoolean());
    }

    [Fact]
    public async Task OfflineMessage_Valid_CommittedAsEmailConversation_FromTheCustomersAddress()
    {
        var session = await SessionAsync("Olga");

        using var response = await PostOfflineAsync(session.VisitorToken, new WidgetOfflineRequest("o-1", "Olga Offline", "Olga@Example.com", "My order #1042 never arrived.\nCan you check?"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<WidgetOfflineResponse>())!;
        Assert.False(answer.Duplicate);
        var conversation = Assert.Single(await ConversationsAsync());
        Assert.Equal(answer.Reference, conversation.Number);
        Assert.Equal(_mail.Id, conversation.InboxId);
        Assert.Equal(ChannelKind.Email, conversation.Channel);
        Assert.Equal(_team.Id, conversation.TeamId);
        Assert.Equal("Website chat: My order #1042 never arrived.", conversation.Subject);
        var stored = await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            return (Contact: await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId),
                Message: await db.Messages.AsNoTracking().SingleAsync(m => m.ConversationId == conversation.Id));
        });
        Assert.Equal("Olga Offline", stored.Contact.Name);
        Assert.Contains(ContactIdentity.Create(IdentityKind.Email, "olga@example.com"), stored.Contact.Identities);
        Assert.Equal("My order #1042 never arrived.\nCan you check?", stored.Message.Text);
        Assert.Equal(MessageDirection.Inbound, stored.Message.Direction);
    }

    [Theory]
    [InlineData(null, "Olga", "olga@example.com", "Hello", "validation.offline.client_id")]
    [InlineData("o-1", " ", "olga@example.com", "Hello", "validation.offline.name")]
    [InlineData("o-1", "Olga", "olga@example", "Hello", "validation.offline.email")]
    [InlineData("o-1", "Olga", "Olga <olga@example.com>", "Hello", "validation.offline.email")]
    [InlineData("o-1", "Olga", "olga@example.com", "   ", "validation.offline.message")]
    public async Task OfflineMessage_Invalid_400WithClearError_StoresNothing(string? clientId, string name, string email, string message, string code)
    {
        var session = await SessionAsync("Olga");

        using var response = await PostOfflineAsync(session.VisitorToken, new WidgetOfflineRequest(clientId, name, email, message));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Empty(await ConversationsAsync());
    }

    [Fact]
    public async Task OfflineMessage_WithoutVisitorToken_401_StoresNothing()
    {
        using var response = await PostOfflineAsync(null, new WidgetOfflineRequest("o-1", "Olga", "olga@example.com", "Hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ConversationsAsync());
    }

    [Fact]
    public async Task OfflineMessage_SameClientIdTwice_OneConversation_SecondIsDuplicate()
    {
        var session = await SessionAsync("Olga");
        var request = new WidgetOfflineRequest("o-retry", "Olga", "olga@example.com", "Sent twice by a flaky network");

        using var first = await PostOfflineAsync(session.VisitorToken, request);
        using var second = await PostOfflineAsync(session.VisitorToken, request);

        var a = (await first.Content.ReadFromJsonAsync<WidgetOfflineResponse>())!;
        var b = (await second.Content.ReadFromJsonAsync<WidgetOfflineResponse>())!;
        Assert.False(a.Duplicate);
        Assert.True(b.Duplicate);
        Assert.Equal(a.Reference, b.Reference);
        Assert.Single(await ConversationsAsync());
        Assert.Single(await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().ToListAsync()));
    }

    [Fact]
    public async Task OfflineMessage_OverTheLimit_429_StoresNothing_ButARetryStillAnswers()
    {
        var session = await SessionAsync("Olga");
        for (var i = 1; i <= 2; i++)
        {
            using var ok = await PostOfflineAsync(session.VisitorToken, new WidgetOfflineRequest($"o-{i}", "Olga", "olga@example.com", $"Message {i}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var over = await PostOfflineAsync(session.VisitorToken, new WidgetOfflineRequest("o-3", "Olga", "olga@example.com", "Message 3"));
        using var retry = await PostOfflineAsync(session.VisitorToken, new WidgetOfflineRequest("o-2", "Olga", "olga@example.com", "Message 2"));

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("rate_limited", (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True((await retry.Content.ReadFromJsonAsync<WidgetOfflineResponse>())!.Duplicate);
        Assert.Equal(2, (await ConversationsAsync()).Count);
    }

    private async Task<(HubConnection Customer, Guid ConversationId)> ChatAsync(string name, params string[] texts)
    {
        var session = await SessionAsync(name);
        var customer = _host.CustomerConnection(session.VisitorToken);
        await customer.StartAsync().Within("customer connect");
        var conversationId = Guid.Empty;
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            conversationId = (await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest($"c-{i}", text)).Within("send")).ConversationId;
        }

        return (customer, conversationId);
    }

    [Fact]
    public async Task RequestTranscript_OwnChat_QueuesPlainTextEmailInTheOutbox_AndTellsTheAgents()
    {
        var (customer, conversationId) = await ChatAsync("Tom", "Hi, where is my parcel?", "<b>Order</b> #77 <script>alert(1)</script>");
        await using var _ = customer;
        await customer.InvokeAsync<EndVisitorChatResult>(nameof(ChatHub.EndChat)).Within("end");

        var result = await customer.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), conversationId, " Tom@Example.com ", "en").Within("transcript");

        Assert.Equal(conversationId, result.ConversationId);
        Assert.Equal("tom@example.com", result.Email);
        var item = Assert.Single(await OutboxAsync());
        Assert.Equal(OutboxPurpose.Transcript, item.Purpose);
        Assert.Equal(new ConversationId(conversationId), item.ConversationId);
        Assert.Equal(_mail.Id, item.InboxId);
        Assert.Equal(ChannelKind.Email, item.Channel);
        Assert.Equal("tom@example.com", item.Recipient);
        Assert.StartsWith("Your chat transcript – Website chat (#", item.Subject, StringComparison.Ordinal);
        Assert.Contains("] Tom:\nHi, where is my parcel?\n", item.Body, StringComparison.Ordinal);
        Assert.Contains("<b>Order</b> #77 <script>alert(1)</script>", item.Body, StringComparison.Ordinal); // text/plain: kept as typed, never markup
        var note = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == item.MessageId));
        Assert.True(note.IsPrivate);
        Assert.Equal(AuthorKind.System, note.AuthorKind);
        Assert.Contains("tom@example.com", note.Text, StringComparison.Ordinal);

        // The customer's own history never shows the agents' note.
        var history = await customer.InvokeAsync<IReadOnlyList<Application.Realtime.ChatMessageDto>>(nameof(ChatHub.GetHistory)).Within("history");
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task RequestTranscript_AnotherVisitorsChat_RefusedAsNotFound_NothingQueued()
    {
        var (victim, victimConversation) = await ChatAsync("Vera", "My card number is private");
        await using var _ = victim;
        var (mallory, _) = await ChatAsync("Mallory", "Hello");
        await using var __ = mallory;

        var error = await Assert.ThrowsAsync<HubException>(() =>
            mallory.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), victimConversation, "mallory@example.com", "en").Within("forged transcript"));

        Assert.Contains("not_found", error.Message, StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task RequestTranscript_InvalidEmail_OrOverTheLimit_Refused_NothingMoreQueued()
    {
        var (customer, conversationId) = await ChatAsync("Tom", "Hello");
        await using var _ = customer;

        var invalid = await Assert.ThrowsAsync<HubException>(() =>
            customer.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), conversationId, "not an address", "en").Within("invalid"));
        Assert.Contains("validation.transcript.email", invalid.Message, StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync());

        await customer.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), conversationId, "tom@example.com", "zh-CN").Within("first");
        await customer.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), (Guid?)null, "tom@example.com", "en").Within("second");
        var over = await Assert.ThrowsAsync<HubException>(() =>
            customer.InvokeAsync<TranscriptRequestResult>(nameof(ChatHub.RequestTranscript), conversationId, "tom@example.com", "en").Within("third"));

        Assert.Contains("rate_limited", over.Message, StringComparison.Ordinal);
        var items = await OutboxAsync();
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i.Subject!.StartsWith("您的聊天记录", StringComparison.Ordinal));
    }
}
