using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Assist;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Assist;

/// <summary>LLM drafting against a local stand-in for an OpenAI-compatible /v1/chat/completions endpoint.</summary>
public sealed class AgentAssistTests : IAsyncLifetime
{
    private const string CustomerText = "Hi, I'm Jane Doe, my email is jane.doe@example.com and my phone is +44 20 7946 0958. "
        + "I paid with card 4111 1111 1111 1111 and was charged twice. Jane";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private Task _serving = Task.CompletedTask;
    private string _endpoint = "";

    public Task InitializeAsync()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _endpoint = $"http://127.0.0.1:{port}/v1/";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.Within("the stand-in to stop");
    }

    [Fact]
    public async Task DraftAsync_LlmOff_ReturnsAnError_AndMakesNoRequest()
    {
        await using var db = await SqliteDatabase.CreateAsync(new Dictionary<string, string?>
        {
            ["Assist:Llm:Enabled"] = "false",
            ["Assist:Llm:Endpoint"] = _endpoint,
        });
        var id = await ReceiveAsync(db);
        Assert.Null(db.Services.GetService<IChatClient>());

        var draft = await db.InScopeAsync(sp => sp.GetRequiredService<AgentAssistService>().DraftAsync(id, CancellationToken.None));

        Assert.False(draft.IsSuccess);
        Assert.EndsWith("assist.llm_off", draft.Error!.Code, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task DraftAsync_LlmOn_TheEndpointReceivesRedactedTextOnly_AndTheDraftIsMarked()
    {
        await using var db = await SqliteDatabase.CreateAsync(new Dictionary<string, string?>
        {
            ["Assist:Llm:Enabled"] = "true",
            ["Assist:Llm:Endpoint"] = _endpoint,
            ["Assist:Llm:Model"] = "stand-in",
        });
        var id = await ReceiveAsync(db);

        var draft = await db.InScopeAsync(sp => sp.GetRequiredService<AgentAssistService>().DraftAsync(id, CancellationToken.None));

        Assert.True(draft.IsSuccess, draft.Error?.ToString());
        Assert.True(draft.Value!.Generated);
        Assert.StartsWith(AgentAssistService.GeneratedMarker, draft.Value.Text, StringComparison.Ordinal);
        Assert.Contains("Sorry about the double charge", draft.Value.Text, StringComparison.Ordinal);
        var body = Assert.Single(_requests);
        Assert.Contains("charged twice", body, StringComparison.Ordinal);
        foreach (var secret in new[] { "jane.doe@example.com", "7946", "4111", "Jane", "Doe" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("[email]", body, StringComparison.Ordinal);
        Assert.Contains("[card]", body, StringComparison.Ordinal);
        Assert.Contains("[phone]", body, StringComparison.Ordinal);
        Assert.Contains("[name]", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_KeepsOrdinaryNumbersAndText()
    {
        var text = PiiRedactor.Redact("Order 55821 arrived on 2026-11-02, 3 items.", ["Li Wei"]);
        Assert.Equal("Order 55821 arrived on 2026-11-02, 3 items.", text);
        Assert.Equal("[name]，您好", PiiRedactor.Redact("王小明，您好", ["王小明"]));
    }

    private static async Task<ConversationId> ReceiveAsync(SqliteDatabase db)
    {
        var inbox = Inbox.Create("Chat", ChannelKind.WebChat, null).Value;
        await db.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IApplicationDbContext>();
            ctx.Inboxes.Add(inbox);
            return await ctx.SaveChangesAsync();
        });
        var result = await db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), "jane-visitor"), "Jane Doe", "j1", CustomerText),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!.ConversationId;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                _requests.Enqueue(context.Request.Url!.AbsolutePath + " " + await reader.ReadToEndAsync());
            }

            var json = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1764000000,"model":"stand-in",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Sorry about the double charge, [name]. I have asked billing to refund it."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":10,"total_tokens":20}}
                """;
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
