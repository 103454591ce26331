using System.Collections.Concurrent;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Outbound;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Infrastructure.Identity;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Application.Tests.Outbound;

/// <summary>
/// The outbox over a real SQLite file: replies on outbound channels are sent once, retried with backoff, failed with the
/// provider's reason. The channel senders themselves are tested against local stand-ins of their providers in Channels.Tests;
/// here a scripted sender plays the provider.
/// </summary>
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly ScriptedSender _sender = new(ChannelKind.Email);
    private readonly ScriptedSender _telegramSender = new(ChannelKind.Telegram);
    private readonly StaffMember _alice = new(AgentId.New(), "user-alice", "Alice", StaffRole.Supervisor, []);
    private SqliteDatabase _db = default!;
    private Inbox _mail = default!;
    private Inbox _chat = default!;
    private Inbox _whatsApp = default!;
    private Inbox _telegram = default!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync(
            new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3", ["Outbox:InitialBackoff"] = "00:00:10" },
            services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.AddSingleton<IChannelSender>(_sender);
                services.AddSingleton<IChannelSender>(_telegramSender);
            });
        _mail = Inbox.Create("Mail", ChannelKind.Email, null).Value;
        _chat = Inbox.Create("Chat", ChannelKind.WebChat, null).Value;
        _whatsApp = Inbox.Create("WhatsApp", ChannelKind.WhatsApp, null).Value;
        _telegram = Inbox.Create("Telegram", ChannelKind.Telegram, null).Value;
        await _db.InScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Inboxes.AddRange(_mail, _chat, _whatsApp, _telegram);
            return db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private OutboxDispatcher Dispatcher => _db.Services.GetRequiredService<OutboxDispatcher>();

    private async Task<ConversationId> InboundAsync(Inbox inbox, string from, string text)
    {
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), from), "Ann", $"in-{Guid.NewGuid():N}", text, Subject: "Order"),
            CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value.ConversationId;
    }

    private async Task<MessageId> ReplyAsync(ConversationId conversation, string text, bool isPrivate = false)
    {
        var result = await _db.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>().HandleAsync(
            _alice, new SendAgentReply(conversation, text, isPrivate, Guid.NewGuid().ToString("N")), CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value.MessageId;
    }

    private Task<Message> MessageAsync(MessageId id) =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == id));

    private Task<List<OutboxItem>> OutboxAsync() =>
        _db.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().ToListAsync());

    [Fact]
    public async Task Running_EmailReply_SentToTheContactWithTheThread_MarkedSentAndPushed()
    {
        await _db.StartAsync();
        var conversation = await InboundAsync(_mail, "Ann@Example.com", "Where is my parcel?");
        var reply = await ReplyAsync(conversation, "It ships today.");

        // Nobody asks: the committed reply wakes the running dispatcher.
        await Waits.UntilAsync(
            () => Task.FromResult(_db.Notifier.Pushed.OfType<MessageDto>().Any(m => m.Id == reply.Value && m.DeliveryStatus == DeliveryStatus.Sent)),
            "the reply sent and its delivery pushed to the console");

        var delivery = Assert.Single(_sender.Deliveries);
        Assert.Equal(reply, delivery.Message.Id);
        Assert.Equal(ContactIdentity.Create(IdentityKind.Email, "ann@example.com"), delivery.Recipient);
        Assert.Equal(_mail.Id, delivery.Inbox.Id);
        Assert.Equal(["Where is my parcel?"], delivery.Thread.Select(m => m.Text));
        Assert.Equal(DeliveryStatus.Sent, (await MessageAsync(reply)).DeliveryStatus);
        var item = Assert.Single(await OutboxAsync());
        Assert.Equal((OutboxStatus.Sent, 1, "provider-1"), (item.Status, item.Attempts, item.ProviderMessageId));
    }

    [Fact]
    public async Task RunOnce_OneProviderHangs_OtherChannelsAreSentMeanwhile()
    {
        _telegramSender.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = await ReplyAsync(await InboundAsync(_telegram, "4242", "Hi"), "Telegram answer");
        _time.Advance(TimeSpan.FromSeconds(1));
        var mail = await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hello"), "Mail answer");

        // The Telegram reply is due first and its provider does not answer: the email reply must not wait for it.
        var pass = Dispatcher.RunOnceAsync(CancellationToken.None);
        await Waits.UntilAsync(async () => (await MessageAsync(mail)).DeliveryStatus == DeliveryStatus.Sent, "the email reply sent while Telegram hangs");
        Assert.NotEqual(DeliveryStatus.Sent, (await MessageAsync(stuck)).DeliveryStatus);
        Assert.Single(_telegramSender.Deliveries);

        _telegramSender.Gate.SetResult();
        await pass.Within("the pass to finish once Telegram answers");
        Assert.Equal(DeliveryStatus.Sent, (await MessageAsync(stuck)).DeliveryStatus);
    }

    [Fact]
    public async Task RunOnce_AgentWithSignature_DeliveryCarriesTheSignature()
    {
        var agent = await _db.InScopeAsync(async sp =>
        {
            var user = new ApplicationUser { UserName = "sig@t.local", Email = "sig@t.local", DisplayName = "Sig" };
            Assert.True((await sp.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, "Test-pass-123")).Succeeded);
            var created = Agent.Create(user.Id, "Sig", user.Email, StaffRole.Supervisor, Capacity.Default, _time.GetUtcNow()).Value;
            Assert.True(created.SetSignature("Sig Agent\nCustomer care").IsSuccess);
            var db = sp.GetRequiredService<IApplicationDbContext>();
            db.Agents.Add(created);
            await db.SaveChangesAsync();
            return created;
        });
        var conversation = await InboundAsync(_mail, "ann@example.com", "Hello");
        var signed = await _db.InScopeAsync(sp => sp.GetRequiredService<SendAgentReplyHandler>().HandleAsync(
            new StaffMember(agent.Id, agent.UserId, "Sig", StaffRole.Supervisor, []), new SendAgentReply(conversation, "Signed answer", false, "c-1"), CancellationToken.None));
        Assert.True(signed.IsSuccess, signed.Error?.Message);
        await ReplyAsync(conversation, "Alice has no agent profile");

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal("Sig Agent\nCustomer care", _sender.Deliveries.Single(d => d.Message.Id == signed.Value.MessageId).AgentSignature);
        Assert.Null(_sender.Deliveries.Single(d => d.Message.Text == "Alice has no agent profile").AgentSignature);
    }

    [Fact]
    public async Task RunOnce_SecondReply_GetsTheFirstReplysProviderIdForThreading()
    {
        var conversation = await InboundAsync(_mail, "ann@example.com", "Hello");
        var first = await ReplyAsync(conversation, "First answer");
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await ReplyAsync(conversation, "Second answer");

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var second = _sender.Deliveries.Last();
        Assert.Equal(["Hello", "First answer"], second.Thread.Select(m => m.Text));
        Assert.Equal("provider-1", second.ProviderIds[first]);
    }

    [Fact]
    public async Task RunOnce_TransientFailure_RetriedOnlyAfterBackoff_ThenSent()
    {
        _sender.Script.Enqueue(SendOutcome.Failed("421 try again later"));
        var reply = await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hi"), "Answer");

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        var waiting = Assert.Single(await OutboxAsync());
        Assert.Equal((OutboxStatus.Pending, 1, "421 try again later"), (waiting.Status, waiting.Attempts, waiting.LastError));
        Assert.InRange(waiting.NextAttemptAt - _time.GetUtcNow(), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.Equal(DeliveryStatus.Queued, (await MessageAsync(reply)).DeliveryStatus);

        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(13));
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));

        Assert.Equal(2, _sender.Deliveries.Count);
        Assert.Equal(DeliveryStatus.Sent, (await MessageAsync(reply)).DeliveryStatus);
    }

    [Fact]
    public async Task RunOnce_PermanentFailure_MessageFailedWithTheProvidersReason_NotRetried()
    {
        _sender.Script.Enqueue(SendOutcome.Failed("550 5.1.1 mailbox unknown", permanent: true));
        var reply = await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hi"), "Answer");

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None));

        var failed = await MessageAsync(reply);
        Assert.Equal((DeliveryStatus.Failed, "550 5.1.1 mailbox unknown"), (failed.DeliveryStatus, failed.DeliveryError));
        Assert.Equal(OutboxStatus.Failed, Assert.Single(await OutboxAsync()).Status);
        Assert.Single(_sender.Deliveries);
    }

    [Fact]
    public async Task RunOnce_EveryAttemptFails_FailsAfterMaxAttempts()
    {
        for (var i = 0; i < 5; i++)
        {
            _sender.Script.Enqueue(SendOutcome.Failed("connection refused"));
        }

        var reply = await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hi"), "Answer");
        for (var i = 0; i < 5; i++)
        {
            await Dispatcher.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(3, _sender.Deliveries.Count);
        var failed = await MessageAsync(reply);
        Assert.Equal((DeliveryStatus.Failed, "connection refused"), (failed.DeliveryStatus, failed.DeliveryError));
    }

    [Fact]
    public async Task RunOnce_SenderThrows_CountsAsATransientFailure()
    {
        _sender.Throw = true;
        await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hi"), "Answer");

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var item = Assert.Single(await OutboxAsync());
        Assert.Equal(OutboxStatus.Pending, item.Status);
        Assert.Contains("provider exploded", item.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_ChannelWithoutSender_FailsWithAClearReason()
    {
        var reply = await ReplyAsync(await InboundAsync(_whatsApp, "+4915112345678", "Hallo"), "Hi!");

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var failed = await MessageAsync(reply);
        Assert.Equal(DeliveryStatus.Failed, failed.DeliveryStatus);
        Assert.Equal("No sender is configured for the WhatsApp channel.", failed.DeliveryError);
    }

    [Fact]
    public async Task Reply_PrivateNoteOrWebChat_GetsNoOutboxEntry()
    {
        await ReplyAsync(await InboundAsync(_mail, "ann@example.com", "Hi"), "internal note", isPrivate: true);
        await ReplyAsync(await InboundAsync(_chat, "visitor-1", "Hi"), "Hello from chat");

        Assert.Empty(await OutboxAsync());
        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Running_WebChatReplies_PushedAsSent_ThenStoredAsSentByTheBatch()
    {
        await _db.StartAsync();
        var conversation = await InboundAsync(_chat, "visitor-2", "Hi");
        var replies = new List<MessageId>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await ReplyAsync(conversation, $"Hello {i}"));
        }

        // The push is the web chat's delivery: pushed as sent, then written for the realtime batch in one statement.
        await Waits.UntilAsync(
            () => Task.FromResult(replies.All(r => _db.Notifier.Pushed.OfType<MessageDto>().Any(m => m.Id == r.Value && m.DeliveryStatus == DeliveryStatus.Sent))),
            "every web chat reply pushed as sent");
        await Waits.UntilAsync(async () =>
        {
            foreach (var reply in replies)
            {
                if ((await MessageAsync(reply)).DeliveryStatus != DeliveryStatus.Sent)
                {
                    return false;
                }
            }

            return true;
        }, "every web chat reply stored as sent");
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task RunOnce_TwoDispatchersAtOnce_EachReplySentExactlyOnce()
    {
        var replies = new List<MessageId>();
        for (var i = 0; i < 12; i++)
        {
            replies.Add(await ReplyAsync(await InboundAsync(_mail, $"c{i}@example.com", "Hi"), $"Answer {i}"));
        }

        _sender.Delay = TimeSpan.FromMilliseconds(20);
        var a = _db.Services.GetRequiredService<OutboxDispatcher>();
        var b = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_db.Services);
        await Task.WhenAll(Task.Run(() => a.RunOnceAsync(CancellationToken.None)), Task.Run(() => b.RunOnceAsync(CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        await a.RunOnceAsync(CancellationToken.None);

        Assert.Equal(replies.Select(r => r.Value).Order(), _sender.Deliveries.Select(d => d.Message.Id.Value).Order());
        Assert.All(await OutboxAsync(), o => Assert.Equal((OutboxStatus.Sent, 1), (o.Status, o.Attempts)));
    }

    private sealed class ScriptedSender(ChannelKind channel) : IChannelSender
    {
        private int _sent;

        public ChannelKind Channel => channel;

        public ConcurrentQueue<SendOutcome> Script { get; } = new();

        public ConcurrentQueue<OutboundDelivery> DeliveryLog { get; } = new();

        public IReadOnlyList<OutboundDelivery> Deliveries => DeliveryLog.ToList();

        public bool Throw { get; set; }

        public TimeSpan Delay { get; set; }

        /// <summary>When set, the provider does not answer until it completes (a hung provider).</summary>
        public TaskCompletionSource? Gate { get; set; }

        public async Task<SendOutcome> SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
        {
            DeliveryLog.Enqueue(delivery);
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            if (Throw)
            {
                throw new InvalidOperationException("provider exploded");
            }

            return Script.TryDequeue(out var outcome) ? outcome : SendOutcome.Sent($"provider-{Interlocked.Increment(ref _sent)}");
        }
    }
}
