using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Files;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Endpoints;

/// <summary>Agents' attachments over the real app: POST /api/v1/conversations/{id}/attachments, then a reply carrying the key.</summary>
public sealed class AgentAttachmentEndpointsTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 8, 7, 6];

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    private Guid _conversationId;
    private string _visitorToken = "";
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var support = await _host.CreateTeamAsync("Support");
        var sales = await _host.CreateTeamAsync("Sales");
        var inbox = _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, support.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, support.Id);
        await _host.CreateAgentAsync("bob@test.local", "Bob", Domain.Agents.StaffRole.Agent, sales.Id);

        using var http = _host.CreateRealClient();
        using var session = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(inbox.Id.Value, null, "Carla"));
        var visitor = (await session.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
        _visitorToken = visitor.VisitorToken;
        await using var customer = _host.CustomerConnection(visitor.VisitorToken);
        await customer.StartAsync().Within("connect");
        await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage), new ChatSendRequest("c-1", "My parcel arrived broken", null)).Within("send");
        _conversationId = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Conversations.Select(c => c.Id.Value).SingleAsync());
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private int StoredFileCount()
    {
        var folder = Path.Combine(_host.DataDirectory, "files");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;
    }

    private async Task<HttpResponseMessage> UploadAsync(CookieContainer? cookies, byte[] bytes, string fileName, Guid? conversationId = null)
    {
        using var http = _host.CreateRealClient(cookies);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", fileName);
        return await http.PostAsync($"api/v1/conversations/{conversationId ?? _conversationId}/attachments", form);
    }

    [Fact]
    public async Task Upload_ThenReply_MessageCarriesTheSniffedFile()
    {
        var alice = await _host.SignInAsync("alice@test.local");
        using var response = await UploadAsync(alice, Png, "../label.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var uploaded = (await response.Content.ReadFromJsonAsync<WidgetAttachmentResponse>())!;
        Assert.Equal(("label.png", "image/png", (long)Png.Length), (uploaded.FileName, uploaded.ContentType, uploaded.SizeBytes));
        Assert.StartsWith("a_", uploaded.Key, StringComparison.Ordinal);

        await using var agent = _host.AgentConnection(alice);
        await agent.StartAsync().Within("connect");
        var sent = await agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply),
            new AgentReplyRequest(_conversationId, "Here is your return label", false, "r-1", [new(uploaded.Key, "return label.png")])).Within("reply");

        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == new MessageId(sent.MessageId)));
        var attachment = Assert.Single(stored.Attachments);
        Assert.Equal(("return label.png", "image/png", (long)Png.Length, uploaded.Key), (attachment.FileName, attachment.ContentType, attachment.SizeBytes, attachment.StorageKey));
        using var http = _host.CreateRealClient(alice);
        Assert.Equal(Png, await http.GetByteArrayAsync(uploaded.Url.TrimStart('/')));
        Assert.Equal(HttpStatusCode.OK, await DownloadAsVisitorAsync(_visitorToken, uploaded.Url));
        using var other = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, "Mallory"));
        Assert.Equal(HttpStatusCode.NotFound, await DownloadAsVisitorAsync((await other.Content.ReadFromJsonAsync<WidgetSessionResponse>())!.VisitorToken, uploaded.Url));
    }

    private async Task<HttpStatusCode> DownloadAsVisitorAsync(string token, string url)
    {
        using var http = _host.CreateRealClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Upload_AgentWhoCannotViewTheConversation_404_AnonymousRefused_NothingStored()
    {
        using (var bob = await UploadAsync(await _host.SignInAsync("bob@test.local"), Png, "x.png"))
        {
            Assert.Equal(HttpStatusCode.NotFound, bob.StatusCode);
        }

        using (var unknown = await UploadAsync(await _host.SignInAsync("alice@test.local"), Png, "x.png", Guid.NewGuid()))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var anonymous = await UploadAsync(null, Png, "x.png"))
        {
            Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"{anonymous.StatusCode}");
        }

        Assert.Equal(0, StoredFileCount());
    }

    [Fact]
    public async Task Upload_HtmlNamedPng_RefusedByContent_OverLimit413_NothingStored()
    {
        var alice = await _host.SignInAsync("alice@test.local");
        using (var fake = await UploadAsync(alice, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "cute-cat.png"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fake.StatusCode);
            Assert.Contains("validation.file.type", await fake.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var big = new byte[Limit + 1];
        Png.CopyTo(big, 0);
        using (var huge = await UploadAsync(alice, big, "huge.png"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        Assert.Equal(0, StoredFileCount());
    }

    [Fact]
    public async Task SendReply_WithAFileNotUploadedByThisAgentForThisConversation_RefusedNotFound_NothingStored()
    {
        var key = VisitorFiles.AgentPrefix(new ConversationId(Guid.NewGuid()), new AgentId(Guid.NewGuid())) + Guid.NewGuid().ToString("N") + ".png";
        var alice = await _host.SignInAsync("alice@test.local");
        await using var agent = _host.AgentConnection(alice);
        await agent.StartAsync().Within("connect");

        var error = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<AgentReplyResult>(nameof(AgentHub.SendReply),
            new AgentReplyRequest(_conversationId, "see attached", false, "r-2", [new(key, "other.png")])).Within("reply"));

        Assert.Contains("not_found:", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync()));
    }
}
