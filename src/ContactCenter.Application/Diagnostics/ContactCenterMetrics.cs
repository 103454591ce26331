using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContactCenter.Domain.Common;

namespace ContactCenter.Application.Diagnostics;

/// <summary>
/// The contact center's own metrics (meter "ContactCenter"), exported by OpenTelemetry (OTLP and the Prometheus scrape
/// endpoint) next to ASP.NET Core's: messages per channel, replies sent and failed, routing decisions and how long
/// customers waited for them, the queue length seen by the last full routing pass, SLA warnings and breaches.
/// </summary>
public sealed class ContactCenterMetrics
{
    public const string MeterName = "ContactCenter";

    /// <summary>Traces of the contact center's own work (routing passes, outbox sends), beside ASP.NET Core's.</summary>
    public static readonly ActivitySource Activity = new(MeterName);

    private readonly Counter<long> _received;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _assignments;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _routingPass;
    private readonly Counter<long> _sla;
    private long _waiting;

    public ContactCenterMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("cc.messages.received", "{message}", "Customer messages stored, per channel (duplicates not counted)");
        _replies = meter.CreateCounter<long>("cc.replies.sent", "{attempt}", "Outbound send attempts per channel and outcome (sent, retry, failed)");
        _assignments = meter.CreateCounter<long>("cc.routing.assignments", "{conversation}", "Conversations assigned or offered by the router");
        _queueWait = meter.CreateHistogram<double>("cc.queue.wait", "s", "How long a conversation waited for an agent before the router placed it");
        _routingPass = meter.CreateHistogram<double>("cc.routing.pass.duration", "ms", "Duration of one routing pass (read queue, decide, apply)");
        _sla = meter.CreateCounter<long>("cc.sla.events", "{event}", "SLA warnings and breaches recorded, per metric");
        meter.CreateObservableGauge("cc.queue.waiting", () => Interlocked.Read(ref _waiting), "{conversation}", "Conversations waiting for an agent after the last full routing pass");
    }

    public void MessageReceived(ChannelKind channel) => _received.Add(1, new KeyValuePair<string, object?>("channel", Name(channel)));

    public void ReplyAttempt(ChannelKind channel, string outcome) =>
        _replies.Add(1, new KeyValuePair<string, object?>("channel", Name(channel)), new KeyValuePair<string, object?>("outcome", outcome));

    public void Routed(bool offered, TimeSpan waited)
    {
        _assignments.Add(1, new KeyValuePair<string, object?>("mode", offered ? "offer" : "assign"));
        _queueWait.Record(Math.Max(0, waited.TotalSeconds));
    }

    public void RoutingPass(TimeSpan duration, int? stillWaiting)
    {
        _routingPass.Record(duration.TotalMilliseconds);
        if (stillWaiting is { } waiting)
        {
            Interlocked.Exchange(ref _waiting, waiting);
        }
    }

    public void SlaEvent(string metric, string kind) =>
        _sla.Add(1, new KeyValuePair<string, object?>("metric", metric), new KeyValuePair<string, object?>("kind", kind));

    private static string Name(ChannelKind channel) => channel.ToString().ToLowerInvariant();
}
