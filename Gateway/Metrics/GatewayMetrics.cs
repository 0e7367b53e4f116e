using System.Diagnostics.Metrics;
using OrleansChat.Errors;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Protocol;

namespace OrleansChat.Gateway.Metrics;

/// <summary>
/// The gateway's own counters and histograms, on one meter that an exporter subscribes to by name. Names
/// follow the OpenTelemetry conventions: dotted, lower case, the unit in the unit field rather than the name.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "OrleansChat.Gateway";

    // Chat latencies are milliseconds to seconds; the SDK's default buckets are meant for milliseconds.
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _publishes;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _gapRepairs;
    private readonly Counter<long> _resubscriptions;
    private readonly Histogram<double> _publishDuration;
    private readonly Histogram<double> _fanoutDuration;
    private readonly Histogram<double> _streamDelay;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rateLimited = meter.CreateCounter<long>(
            "orleanschat.requests.rate_limited", unit: "{request}", description: "Requests refused by an abuse limit, by limit");
        _framesReceived = meter.CreateCounter<long>(
            "orleanschat.frames.received", unit: "{frame}", description: "Text frames received from clients, by request type");
        _framesSent = meter.CreateCounter<long>(
            "orleanschat.frames.sent", unit: "{frame}", description: "Frames queued for clients, by frame type");
        _publishes = meter.CreateCounter<long>(
            "orleanschat.publishes", unit: "{message}", description: "Messages stored and acknowledged");
        _deliveries = meter.CreateCounter<long>(
            "orleanschat.deliveries", unit: "{message}", description: "Messages queued for sockets, one per socket");
        _errors = meter.CreateCounter<long>(
            "orleanschat.errors", unit: "{reply}", description: "Error replies, by error code");
        _slowConsumers = meter.CreateCounter<long>(
            "orleanschat.sockets.slow_consumer_closed", unit: "{socket}", description: "Sockets closed with 1013 for holding too much unsent, by bound");
        _gapRepairs = meter.CreateCounter<long>(
            "orleanschat.relay.gap_repairs", unit: "{repair}", description: "Gaps in a group's stream filled from history");
        _resubscriptions = meter.CreateCounter<long>(
            "orleanschat.relay.resubscriptions", unit: "{subscription}", description: "Group streams subscribed to again after the cluster connection came back");
        _publishDuration = meter.CreateHistogram(
            "orleanschat.publish.duration", unit: "s", description: "From a publish read off the socket to its ok", advice: LatencyBuckets);
        _fanoutDuration = meter.CreateHistogram(
            "orleanschat.fanout.duration", unit: "s", description: "From a message's timestamp, set as its storage write begins, to its frame queued for this gateway's sockets", advice: LatencyBuckets);
        _streamDelay = meter.CreateHistogram(
            "orleanschat.relay.stream_delay", unit: "s", description: "From a message's timestamp, set as its storage write begins, to its event reaching this gateway's relay of the group's stream", advice: LatencyBuckets);
    }

    public void RateLimited(LimitKind limit) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("orleanschat.limit", LimitNames.Of(limit)));

    public void FrameReceived(ClientRequest request) =>
        _framesReceived.Add(1, new KeyValuePair<string, object?>("orleanschat.frame.type", RequestNames.Of(request)));

    public void FramesSent(string type, long count = 1)
    {
        if (count > 0)
        {
            _framesSent.Add(count, new KeyValuePair<string, object?>("orleanschat.frame.type", type));
        }
    }

    public void ErrorReplied(ChatErrorCode code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("orleanschat.error.code", WireNames.Of(code)));

    /// <summary>A message stored and acknowledged; <paramref name="kind"/> is "group" or "direct".</summary>
    public void Published(TimeSpan untilAcknowledged, string kind)
    {
        _publishes.Add(1, new KeyValuePair<string, object?>("orleanschat.conversation.kind", kind));
        _publishDuration.Record(untilAcknowledged.TotalSeconds);
    }

    /// <summary>
    /// One stored message handed to this many sockets as <paramref name="frameType"/> frames ("message" or
    /// "direct"), this long after it was stored (null: not measured).
    /// </summary>
    public void Delivered(string frameType, long sockets, TimeSpan? sinceStored)
    {
        _deliveries.Add(sockets);
        FramesSent(frameType, sockets);
        if (sinceStored is { } latency)
        {
            _fanoutDuration.Record(Math.Max(0, latency.TotalSeconds));
        }
    }

    /// <summary>
    /// A stored-messages event came off a group's stream this long after its messages' timestamp: the storage
    /// write and the stream's share of <see cref="Delivered"/>'s latency, the rest being the relay's queue and the
    /// copies to sockets.
    /// </summary>
    public void StreamDelivered(TimeSpan sinceStored) => _streamDelay.Record(Math.Max(0, sinceStored.TotalSeconds));

    /// <summary>Messages a socket that joined late was sent from history before going live.</summary>
    public void CaughtUp(string frameType, long messages)
    {
        _deliveries.Add(messages);
        FramesSent(frameType, messages);
    }

    public void SlowConsumerClosed(string bound) =>
        _slowConsumers.Add(1, new KeyValuePair<string, object?>("orleanschat.bound", bound));

    public void GapRepaired() => _gapRepairs.Add(1);

    public void Resubscribed() => _resubscriptions.Add(1);
}
