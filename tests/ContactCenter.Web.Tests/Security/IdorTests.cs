using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Channels.Email;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Security;

/// <summary>Ids of other teams' and other customers' objects are refused: through the API, the hubs and file downloads.</summary>
public sealed class IdorTests(SecurityWorld world) : IClassFixture<SecurityWorld>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    /// <summary>A Billing customer writes in (a conversation of the Billing team) and uploads a file.</summary>
    private async Task<(Guid ConversationId, Guid ContactId, string Token, string FileUrl)> BillingCustomerAsync()
    {
        var (token, contactId) = await world.NewVisitorAsync(world.BillingChat.Id.Value);
        await using var chat = world.Host.CustomerConnection(token);
        await chat.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        var sent = await chat.InvokeAsync<ChatSendResult>("SendMessage", new ChatSendRequest(Guid.NewGuid().ToString(), "My invoice is wrong")).WaitAsync(TimeSpan.FromSeconds(15));
        using var http = world.Host.CreateRealClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "invoice.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/widget/attachments") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var uploaded = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var url = (await uploaded.Content.ReadFromJsonAsync<WidgetAttachmentResponse>())!.Url;
        return (sent.ConversationId, contactId, token, url);
    }

    [Fact]
    public async Task Api_OtherTeamsConversationContactMessages_404_OwnTeamSeesThem()
    {
        var billing = await BillingCustomerAsync();
        using var agent = world.Client(Caller.Agent); // Support team
        using var owner = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = world.Host.BaseAddress };
        owner.DefaultRequestHeaders.Add("Cookie", world.BillingAgentCookie);

        foreach (var url in new[]
                 {
                     $"api/v1/conversations/{billing.ConversationId}",
                     $"api/v1/conversations/{billing.ConversationId}/messages",
                     $"api/v1/contacts/{billing.ContactId}",
                 })
        {
            using var refused = await agent.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var allowed = await owner.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var reply = await agent.PostAsJsonAsync($"api/v1/conversations/{billing.ConversationId}/messages", new PostMessageRequest("hijack"));
        Assert.True(reply.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, reply.StatusCode.ToString());
        var list = await agent.GetStringAsync($"api/v1/conversations?contactId={billing.ContactId}");
        Assert.DoesNotContain(billing.ConversationId.ToString(), list, StringComparison.OrdinalIgnoreCase);
        var contacts = await agent.GetStringAsync("api/v1/contacts");
        Assert.DoesNotContain(billing.ContactId.ToString(), contacts, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Hub_OtherTeamsConversation_Refused()
    {
        var billing = await BillingCustomerAsync();
        await using var hub = world.Hub(Caller.Agent, "/hubs/agent");
        await hub.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));

        var read = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("GetConversation", billing.ConversationId).WaitAsync(TimeSpan.FromSeconds(15)));
        var write = await Assert.ThrowsAsync<HubException>(() =>
            hub.InvokeAsync<AgentReplyResult>("SendReply", new AgentReplyRequest(billing.ConversationId, "hijack", false, Guid.NewGuid().ToString())).WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Matches("not_found|forbidden", read.Message);
        Assert.Matches("not_found|forbidden", write.Message);
    }

    [Fact]
    public async Task Files_OtherCustomerAndOtherTeam_Refused_OwnerAndTeamRead()
    {
        var billing = await BillingCustomerAsync();
        var (otherVisitor, _) = await world.NewVisitorAsync(world.BillingChat.Id.Value);

        async Task<HttpStatusCode> DownloadAsync(Action<HttpRequestMessage> credential)
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = world.Host.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, billing.FileUrl.TrimStart('/'));
            credential(request);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await DownloadAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", billing.Token)));
        Assert.Equal(HttpStatusCode.NotFound, await DownloadAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", otherVisitor)));
        Assert.Equal(HttpStatusCode.NotFound, await DownloadAsync(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.VisitorToken)));
        using (var agent = world.Client(Caller.Agent))
        {
            using var response = await agent.GetAsync(billing.FileUrl.TrimStart('/'));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // Support agent, Billing file
        }

        Assert.Equal(HttpStatusCode.OK, await DownloadAsync(r => r.Headers.Add("Cookie", world.BillingAgentCookie)));
        Assert.Equal(HttpStatusCode.Unauthorized, await DownloadAsync(_ => { }));
    }

    /// <summary>Media a customer sent from a messaging app (stored as "m_…") is the owning team's agent's to open from the console, not another team's.</summary>
    [Fact]
    public async Task MessagingMedia_ConsoleLinkOpensForTheOwningTeam_404ForAnotherTeam()
    {
        var inbox = await world.Host.CreateInboxAsync($"Billing WhatsApp {Guid.NewGuid():N}", Domain.Common.ChannelKind.WhatsApp, world.Billing.Id);
        var url = await world.Host.InScopeAsync(async sp =>
        {
            var key = $"m_{inbox.Id.Value:N}_{Guid.CreateVersion7():N}.png";
            await sp.GetRequiredService<Application.Files.IFileStorage>().SaveAsync(key, new MemoryStream(Png), CancellationToken.None);
            var received = await sp.GetRequiredService<Application.Conversations.Ingest.ReceiveInboundMessageHandler>().HandleAsync(
                new Application.Conversations.Ingest.InboundMessage(inbox.Id, Domain.Contacts.ContactIdentity.Create(Domain.Contacts.IdentityKind.Phone, "+14155550123"), "Wes",
                    $"wamid.{Guid.NewGuid():N}", "photo of the damage", Attachments: [new Domain.Conversations.Attachment("damage.png", "image/png", Png.Length, key)]),
                CancellationToken.None);
            Assert.True(received.IsSuccess, received.Error?.Message);
            var message = await sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == received.Value.MessageId);
            return Application.Realtime.MessageDto.From(message).Attachments.Single().Url; // what the console links to
        });
        Assert.StartsWith("/api/v1/email/files/m_", url, StringComparison.Ordinal);

        using (var agent = world.Client(Caller.Agent))
        {
            using var refused = await agent.GetAsync(url.TrimStart('/'));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode); // Support agent, Billing media
        }

        using var owner = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = world.Host.BaseAddress };
        owner.DefaultRequestHeaders.Add("Cookie", world.BillingAgentCookie);
        using var opened = await owner.GetAsync(url.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("image/png", opened.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await opened.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// An email to the Billing team with an attachment: its file under /api/v1/email/files/{key} is the Billing agent's, the
    /// supervisor's and the admin's to read; the Support agent gets 404, as if there were no such file.
    /// </summary>
    [Fact]
    public async Task EmailFiles_OtherTeamsAgent_404_OwnTeamSupervisorAdminRead()
    {
        var inbox = await world.Host.CreateInboxAsync($"Billing mail {Guid.NewGuid():N}", Domain.Common.ChannelKind.Email, world.Billing.Id);
        var key = await world.Host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var stored = await db.Inboxes.SingleAsync(i => i.Id == inbox.Id);
            stored.SetSetting(EmailSettings.Address, "billing@shop.test");
            await db.SaveChangesAsync();
            var raw = Encoding.UTF8.GetBytes(string.Join("\r\n",
                "From: Carla <carla@example.org>", "To: billing@shop.test", "Subject: Invoice", $"Message-ID: <{Guid.NewGuid():N}@example.org>",
                "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\"", "", "--b", "Content-Type: text/plain", "", "See the attached invoice.",
                "--b", "Content-Type: image/png; name=\"invoice.png\"", "Content-Disposition: attachment; filename=\"invoice.png\"", "Content-Transfer-Encoding: base64", "",
                Convert.ToBase64String(Png), "--b--", ""));
            var outcome = await sp.GetRequiredService<EmailIngest>().IngestAsync(inbox.Id, raw, "test", CancellationToken.None);
            Assert.Equal(EmailOutcomeKind.Filed, outcome.Kind);
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.ConversationId == outcome.ConversationId);
            var dto = Application.Realtime.MessageDto.From(message).Attachments.Single(a => a.FileName == "invoice.png");
            return dto.Url; // what the console links to
        });
        Assert.StartsWith("/api/v1/email/files/e_", key, StringComparison.Ordinal);
        var url = key.TrimStart('/');

        async Task<HttpStatusCode> DownloadAsync(HttpClient client)
        {
            using var response = await client.GetAsync(url);
            return response.StatusCode;
        }

        using (var agent = world.Client(Caller.Agent))
        {
            Assert.Equal(HttpStatusCode.NotFound, await DownloadAsync(agent)); // Support agent, Billing file
        }

        using (var owner = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = world.Host.BaseAddress })
        {
            owner.DefaultRequestHeaders.Add("Cookie", world.BillingAgentCookie);
            Assert.Equal(HttpStatusCode.OK, await DownloadAsync(owner));
        }

        foreach (var caller in new[] { Caller.Supervisor, Caller.Admin, Caller.TokenRead })
        {
            using var client = world.Client(caller);
            Assert.Equal(HttpStatusCode.OK, await DownloadAsync(client));
        }

        using var anonymous = world.Client(Caller.Anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, await DownloadAsync(anonymous));
    }
}
