using System.Text;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Application.Webhooks;

public enum IntakeOutcome
{
    Stored = 0,
    UnknownInbox = 1,
    Unauthorized = 2,
    Forbidden = 3,
    Malformed = 4,
    NotConfigured = 5,
    NoHandshake = 6,
    Handshake = 7,
}

public sealed record IntakeResult(IntakeOutcome Outcome, string? Detail = null, string? Reply = null, string ReplyContentType = "text/plain", int StatusCode = 200);

/// <summary>
/// The receiving half of the webhook pipeline: finds the inbox and its channel, verifies the signature first, checks the
/// format, then stores the raw webhook (one insert, committed together with concurrent requests' by <see cref="WebhookInboxWriter"/>)
/// and wakes the processor. Nothing unverified or malformed is stored, nothing is acknowledged before it is committed.
/// </summary>
public sealed class WebhookIntake(
    IEnumerable<IWebhookChannel> channels,
    IApplicationDbContext db,
    WebhookInboxWriter writer,
    WebhookSignal signal,
    TimeProvider time,
    ILogger<WebhookIntake> logger)
{
    public IWebhookChannel? Channel(string routeName) =>
        channels.FirstOrDefault(c => string.Equals(c.RouteName, routeName, StringComparison.OrdinalIgnoreCase));

    public async Task<IntakeResult> HandshakeAsync(string routeName, InboxId inboxId, WebhookRequest request, CancellationToken cancellationToken)
    {
        var (channel, inbox) = await FindAsync(routeName, inboxId, cancellationToken);
        if (channel is null || inbox is null)
        {
            return new IntakeResult(IntakeOutcome.UnknownInbox, "There is no such webhook.");
        }

        var reply = channel.Handshake(inbox, request);
        return reply is null
            ? new IntakeResult(IntakeOutcome.NoHandshake, "This channel has no GET handshake.")
            : new IntakeResult(IntakeOutcome.Handshake, Reply: reply.Body, StatusCode: reply.StatusCode);
    }

    public async Task<IntakeResult> ReceiveAsync(string routeName, InboxId inboxId, WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (channel, inbox) = await FindAsync(routeName, inboxId, cancellationToken);
        if (channel is null || inbox is null)
        {
            return new IntakeResult(IntakeOutcome.UnknownInbox, "There is no such webhook.");
        }

        var verified = channel.Verify(inbox, request);
        if (verified.Check != WebhookCheck.Ok)
        {
            logger.LogWarning("Refused a {Channel} webhook for inbox {InboxId}: {Reason}", channel.Channel, inbox.Id, verified.Reason);
            return verified.Check switch
            {
                WebhookCheck.Missing => new IntakeResult(IntakeOutcome.Unauthorized, verified.Reason),
                WebhookCheck.NotConfigured => new IntakeResult(IntakeOutcome.NotConfigured, verified.Reason),
                _ => new IntakeResult(IntakeOutcome.Forbidden, verified.Reason),
            };
        }

        var accepted = channel.Accept(inbox, request);
        if (!accepted.IsSuccess)
        {
            return new IntakeResult(IntakeOutcome.Malformed, accepted.Error!.Message);
        }

        var body = Encoding.UTF8.GetString(request.Body);
        await writer.StoreAsync(WebhookInboxItem.Receive(inbox.Id, channel.Channel, accepted.Value.EventId, request.ContentType, body, time.GetUtcNow()), cancellationToken);
        signal.Notify();
        return new IntakeResult(IntakeOutcome.Stored, Reply: accepted.Value.Reply, ReplyContentType: accepted.Value.ReplyContentType);
    }

    private async Task<(IWebhookChannel? Channel, Domain.Inboxes.Inbox? Inbox)> FindAsync(string routeName, InboxId inboxId, CancellationToken cancellationToken)
    {
        var channel = Channel(routeName);
        if (channel is null)
        {
            return (null, null);
        }

        var inbox = await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId, cancellationToken);
        return inbox is { IsEnabled: true } && inbox.Channel == channel.Channel ? (channel, inbox) : (channel, null);
    }
}

/// <summary>Wakes the webhook processor when a webhook was stored (it also polls, for other nodes' webhooks and retries).</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent request.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
