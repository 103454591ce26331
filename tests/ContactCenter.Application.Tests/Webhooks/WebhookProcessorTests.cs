using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Webhooks;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Webhooks;

/// <summary>
/// The processor on a real SQLite file with a stand-in channel: concurrent across senders (Webhooks:Concurrency), each
/// sender's messages in order, one outcome per webhook, a failing webhook retried alone; Concurrency = 1 one webhook after
/// another as before.
/// </summary>
public sealed class WebhookProcessorTests : IAsyncLifetime
{
    private SqliteDatabase _db = default!;
    private InboxId _inbox;
    private readonly GatedHtmlCleaner _cleaner = new();
    private DateTimeOffset _receivedAt = DateTimeOffset.UtcNow.AddMinutes(-1);

    private async Task StartAsync(int concurrency)
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?>
            {
                ["Webhooks:ProcessInBackground"] = "false",
                ["Webhooks:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhooks:BatchSize"] = "50",
            },
            services =>
            {
                services.AddSingleton<IWebhookChannel, LineChannel>();
                services.AddSingleton<IHtmlCleaner>(_cleaner);
            });
        _inbox = await WebhookInboxWriterTests.WhatsAppInboxAsync(_db);
    }

    public Task InitializeAsync() => Task.CompletedTask; // each test starts its database with its concurrency

    public async Task DisposeAsync()
    {
        _cleaner.Open();
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    /// <summary>Stores a webhook whose body is read by <see cref="LineChannel"/>; each one received 1 ms after the previous (batch order).</summary>
    private async Task<Guid> WebhookAsync(params string[] lines)
    {
        _receivedAt = _receivedAt.AddMilliseconds(1);
        var item = WebhookInboxItem.Receive(_inbox, ChannelKind.WhatsApp, null, "text/plain", string.Join('\n', lines), _receivedAt);
        await _db.Services.GetRequiredService<WebhookInboxWriter>().StoreAsync(item, CancellationToken.None).Within("webhook stored");
        return item.Id;
    }

    private Task<int> ProcessAsync() => _db.Services.GetRequiredService<WebhookProcessor>().ProcessDueAsync(CancellationToken.None);

    private Task<List<(string Phone, string Text, DateTimeOffset At)>> MessagesAsync() =>
        _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Abstractions.IApplicationDbContext>();
            var rows = await (from m in db.Messages.AsNoTracking()
                              join c in db.Conversations.AsNoTracking() on m.ConversationId equals c.Id
                              join k in db.Contacts.AsNoTracking() on c.ContactId equals k.Id
                              select new { k.Name, m.Text, m.CreatedAt }).ToListAsync();
            return rows.Select(r => (r.Name["Customer ".Length..], r.Text, r.CreatedAt)).OrderBy(r => r.CreatedAt).ToList();
        });

    private Task<Dictionary<Guid, WebhookInboxItem>> WebhooksAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IWebhookInboxDbContext>().WebhookInbox.AsNoTracking().ToDictionaryAsync(w => w.Id));

    private static List<string> TextsOf(IEnumerable<(string Phone, string Text, DateTimeOffset At)> messages, string phone) =>
        messages.Where(m => m.Phone == phone).Select(m => m.Text).ToList();

    [Fact]
    public async Task ProcessDueAsync_TwoSendersInterleaved_StoresBothConcurrentlyEachSendersMessagesInOrder()
    {
        await StartAsync(concurrency: 4);
        var ids = new List<Guid>
        {
            await WebhookAsync("m|+14155550001|a1|A1|<hold>"), // held until sender B's messages are all stored
            await WebhookAsync("m|+14155550002|b1|B1"),
            await WebhookAsync("m|+14155550001|a2|A2"),
            await WebhookAsync("m|+14155550002|b2|B2"),
            await WebhookAsync("m|+14155550001|a3|A3", "m|+14155550002|b3|B3"), // one webhook, two senders
            await WebhookAsync("m|+14155550002|b4|B4"),
        };

        var processing = ProcessAsync();
        await _cleaner.Held.Within("A1 reached the ingest");
        await Waits.UntilAsync(async () => TextsOf(await MessagesAsync(), "+14155550002").Count == 4, "sender B's messages stored while A1 is held");
        Assert.Empty(TextsOf(await MessagesAsync(), "+14155550001")); // A2 and A3 wait for A1
        _cleaner.Open();
        Assert.Equal(6, await processing.Within("the batch"));

        var messages = await MessagesAsync();
        Assert.Equal(["A1", "A2", "A3"], TextsOf(messages, "+14155550001"));
        Assert.Equal(["B1", "B2", "B3", "B4"], TextsOf(messages, "+14155550002"));
        var webhooks = await WebhooksAsync();
        Assert.All(ids, id => Assert.Equal((WebhookStatus.Processed, 1, (string?)null), (webhooks[id].Status, webhooks[id].Attempts, webhooks[id].Error)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ProcessDueAsync_FailingWebhooks_OthersStoredOnlyTheFailingOnesRetried(int concurrency)
    {
        await StartAsync(concurrency);
        var first = await WebhookAsync("m|+14155550001|a1|A1");
        var unreadable = await WebhookAsync("boom"); // the channel throws while normalising
        var second = await WebhookAsync("m|+14155550002|b1|B1");
        var mixed = await WebhookAsync("m|+14155550003|c1|C1", "m|+14155550004|d1|D1|<boom>"); // D1 throws in the ingest
        var third = await WebhookAsync("m|+14155550001|a2|A2", "m|+14155550005|e1|E1");
        var empty = await WebhookAsync("m|+14155550006|f1|"); // invalid content: a note, never retried

        Assert.Equal(6, await ProcessAsync().Within("the batch"));

        var texts = (await MessagesAsync()).Select(m => m.Text).ToHashSet();
        Assert.All(new[] { "A1", "B1", "A2", "E1" }, text => Assert.Contains(text, texts));
        Assert.DoesNotContain("D1", texts);
        var webhooks = await WebhooksAsync();
        Assert.All([first, second, third], id => Assert.Equal((WebhookStatus.Processed, (string?)null), (webhooks[id].Status, webhooks[id].Error)));
        Assert.Equal(WebhookStatus.Processed, webhooks[empty].Status);
        Assert.Contains("message f1:", webhooks[empty].Error, StringComparison.Ordinal);
        foreach (var failed in new[] { unreadable, mixed })
        {
            Assert.Equal((WebhookStatus.Pending, 1), (webhooks[failed].Status, webhooks[failed].Attempts));
            Assert.Contains("InvalidOperationException", webhooks[failed].Error, StringComparison.Ordinal);
            Assert.True(webhooks[failed].NextAttemptAt > DateTimeOffset.UtcNow, "retried later, with backoff");
        }
    }

    [Fact]
    public async Task ProcessDueAsync_ConcurrencyOne_StoresEveryMessageInBatchOrder()
    {
        await StartAsync(concurrency: 1);
        await WebhookAsync("m|+14155550001|a1|A1");
        await WebhookAsync("m|+14155550002|b1|B1");
        await WebhookAsync("m|+14155550001|a2|A2", "m|+14155550002|b2|B2");
        await WebhookAsync("m|+14155550003|c1|C1");
        await WebhookAsync("m|+14155550002|b3|B3");

        Assert.Equal(5, await ProcessAsync().Within("the batch"));

        Assert.Equal(["A1", "B1", "A2", "B2", "C1", "B3"], (await MessagesAsync()).Select(m => m.Text));
    }

    [Fact]
    public async Task ProcessDueAsync_RedeliveredWebhooksAcrossSenders_StoreEachMessageOnce()
    {
        await StartAsync(concurrency: 4);
        for (var i = 0; i < 3; i++)
        {
            await WebhookAsync("m|+14155550001|a1|A1", "m|+14155550002|b1|B1");
            await WebhookAsync("m|+14155550002|b1|B1");
            await WebhookAsync("m|+14155550001|a1|A1");
        }

        Assert.Equal(9, await ProcessAsync().Within("the batch"));

        Assert.Equal(["A1", "B1"], (await MessagesAsync()).Select(m => m.Text).Order());
        Assert.All((await WebhooksAsync()).Values, w => Assert.Equal(WebhookStatus.Processed, w.Status));
    }

    /// <summary>
    /// A stand-in WhatsApp adapter: one line per message, <c>m|phone|external id|text[|html]</c> (the phone is the WhatsApp id
    /// and, as with WhatsApp, also the phone identity); a line <c>boom</c> makes normalising throw.
    /// </summary>
    private sealed class LineChannel : IWebhookChannel
    {
        public ChannelKind Channel => ChannelKind.WhatsApp;

        public string RouteName => "lines";

        public HandshakeResult? Handshake(Inbox inbox, WebhookRequest request) => null;

        public WebhookVerification Verify(Inbox inbox, WebhookRequest request) => WebhookVerification.Ok;

        public Result<AcceptedWebhook> Accept(Inbox inbox, WebhookRequest request) => new AcceptedWebhook(null);

        public Task<WebhookContent> NormaliseAsync(Inbox inbox, string contentType, string body, CancellationToken cancellationToken)
        {
            var messages = new List<WebhookMessage>();
            foreach (var line in body.Split('\n'))
            {
                var parts = line.Split('|');
                if (parts[0] == "boom")
                {
                    throw new InvalidOperationException("The provider's media could not be fetched.");
                }

                messages.Add(new WebhookMessage(
                    new InboundMessage(inbox.Id, ContactIdentity.Create(IdentityKind.WhatsApp, parts[1]), "Customer " + parts[1], parts[2], parts[3], Html: parts.Length > 4 ? parts[4] : null),
                    [ContactIdentity.Create(IdentityKind.Phone, parts[1])]));
            }

            return Task.FromResult(new WebhookContent(messages, [], []));
        }
    }

    /// <summary>The ingest's HTML cleaner with two test markers: <c>&lt;hold&gt;</c> waits for <see cref="Open"/>, <c>&lt;boom&gt;</c> throws.</summary>
    private sealed class GatedHtmlCleaner : IHtmlCleaner
    {
        private readonly HtmlCleaner _inner = new();
        private readonly ManualResetEventSlim _open = new(false);
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a message marked &lt;hold&gt; reached the ingest.</summary>
        public Task Held => _held.Task;

        public void Open() => _open.Set();

        public string Clean(string html)
        {
            if (html == "<hold>")
            {
                _held.TrySetResult();
                if (!_open.Wait(Waits.Default))
                {
                    throw new TimeoutException("The held message was never let through.");
                }
            }

            return html == "<boom>" ? throw new InvalidOperationException("The message could not be stored.") : _inner.Clean(html);
        }
    }
}
