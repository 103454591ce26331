using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Files;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Common;
using ContactCenter.Testing;
using ContactCenter.Web.Endpoints;
using ContactCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Widget;

/// <summary>Customers' attachments over the real app: upload checked by content and size, send, and read back only by their owner or staff.</summary>
public sealed class WidgetAttachmentTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    private Domain.Inboxes.Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Website chat", ChannelKind.WebChat, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", Domain.Agents.StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private string FilesFolder => Path.Combine(_host.DataDirectory, "files");

    private async Task<WidgetSessionResponse> VisitorAsync(string name)
    {
        using var http = _host.CreateRealClient();
        using var response = await http.PostAsJsonAsync("api/v1/widget/sessions", new WidgetSessionRequest(_inbox.Id.Value, null, name));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WidgetSessionResponse>())!;
    }

    private async Task<HttpResponseMessage> UploadAsync(string? token, byte[] bytes, string fileName, string claimedType = "application/octet-stream")
    {
        using var http = _host.CreateRealClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/widget/attachments") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private async Task<WidgetAttachmentResponse> UploadOkAsync(string token, byte[] bytes, string fileName)
    {
        using var response = await UploadAsync(token, bytes, fileName);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WidgetAttachmentResponse>())!;
    }

    private async Task<HttpResponseMessage> DownloadAsync(string url, string? token = null, CookieContainer? cookies = null)
    {
        using var http = _host.CreateRealClient(cookies);
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private int StoredFileCount() => Directory.Exists(FilesFolder) ? Directory.GetFiles(FilesFolder, "*", SearchOption.AllDirectories).Length : 0;

    private static async Task<string> CodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
    }

    [Fact]
    public async Task Image_UploadedSentAndReadBack_OnlyByItsVisitorAndStaff()
    {
        var carla = await VisitorAsync("Carla");
        var uploaded = await UploadOkAsync(carla.VisitorToken, Png, "../../holiday photo.png");
        Assert.Equal("image/png", uploaded.ContentType);
        Assert.Equal("holiday photo.png", uploaded.FileName);
        Assert.Equal(Png.Length, uploaded.SizeBytes);

        await using var customer = _host.CustomerConnection(carla.VisitorToken);
        await customer.StartAsync().Within("connect");
        var sent = await customer.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage),
            new ChatSendRequest("c-1", "", null, [new(uploaded.Key, "holiday photo.png")])).Within("send");

        var stored = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == new MessageId(sent.MessageId)));
        var attachment = Assert.Single(stored.Attachments);
        Assert.Equal((uploaded.Key, "image/png", (long)Png.Length), (attachment.StorageKey, attachment.ContentType, attachment.SizeBytes));
        var history = await customer.InvokeAsync<List<ChatMessageDto>>(nameof(ChatHub.GetHistory)).Within("history");
        Assert.Equal($"/files/{uploaded.Key}", Assert.Single(Assert.Single(history).Attachments!).Url);

        using (var own = await DownloadAsync(uploaded.Url, carla.VisitorToken))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal("image/png", own.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", string.Join(",", own.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal(Png, await own.Content.ReadAsByteArrayAsync());
        }

        var mallory = await VisitorAsync("Mallory");
        using (var other = await DownloadAsync(uploaded.Url, mallory.VisitorToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (var anonymous = await DownloadAsync(uploaded.Url))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var staff = await DownloadAsync(uploaded.Url, cookies: await _host.SignInAsync("alice@test.local")))
        {
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        }
    }

    [Fact]
    public async Task Pdf_NamedLikeAProgram_IsStoredAsPdf()
    {
        var carla = await VisitorAsync("Carla");
        var uploaded = await UploadOkAsync(carla.VisitorToken, Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), "invoice.exe");

        Assert.Equal("application/pdf", uploaded.ContentType);
        Assert.Equal("invoice.pdf", uploaded.FileName);
        Assert.EndsWith(".pdf", uploaded.Key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><script>alert(1)</script></html>", "cute-cat.png", "image/png")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", "logo.svg", "image/svg+xml")]
    [InlineData("MZ\u0090\u0000 this is a program", "setup.pdf", "application/pdf")]
    public async Task Upload_ContentNotAnImageOrPdf_RefusedWhateverTheName_NothingStored(string content, string fileName, string claimedType)
    {
        var carla = await VisitorAsync("Carla");

        using var response = await UploadAsync(carla.VisitorToken, Encoding.UTF8.GetBytes(content), fileName, claimedType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation.file.type", await CodeAsync(response));
        Assert.Equal(0, StoredFileCount());
    }

    [Fact]
    public async Task Upload_OverTheSizeLimit_Refused413_NothingStored()
    {
        var carla = await VisitorAsync("Carla");
        var big = new byte[Limit + 1];
        Png.CopyTo(big, 0);

        using var response = await UploadAsync(carla.VisitorToken, big, "huge.png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, StoredFileCount());
    }

    [Fact]
    public async Task Upload_WithoutVisitorToken_Refused401()
    {
        using var response = await UploadAsync(null, Png, "photo.png");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, StoredFileCount());
    }

    [Fact]
    public async Task SendMessage_WithAnotherVisitorsFile_RefusedNotFound_NothingStored()
    {
        var carla = await VisitorAsync("Carla");
        var uploaded = await UploadOkAsync(carla.VisitorToken, Png, "private.png");
        var mallory = await VisitorAsync("Mallory");
        await using var thief = _host.CustomerConnection(mallory.VisitorToken);
        await thief.StartAsync().Within("connect");

        var error = await Assert.ThrowsAsync<HubException>(() => thief.InvokeAsync<ChatSendResult>(nameof(ChatHub.SendMessage),
            new ChatSendRequest("m-1", "look", null, [new(uploaded.Key, "mine.png")])).Within("send"));

        Assert.Contains("not_found:", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.CountAsync()));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, "image/webp")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D }, "application/pdf")]
    public void FileSniffer_RecognisesByMagicBytes(byte[] head, string expected)
    {
        Assert.Equal(expected, FileSniffer.Detect(head)?.ContentType);
    }

    [Fact]
    public void FileSniffer_TooShortOrUnknown_IsNull()
    {
        Assert.Null(FileSniffer.Detect([]));
        Assert.Null(FileSniffer.Detect([0x89, 0x50]));
        Assert.Null(FileSniffer.Detect("RIFF1234WAVE"u8));
    }
}
