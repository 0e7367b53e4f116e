using System.Diagnostics.Metrics;
using OrleansChat.Gateway.Limits;

namespace OrleansChat.Gateway.Metrics;

/// <summary>The gateway's own counters, on one meter that an exporter can subscribe to by name.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "OrleansChat.Gateway";

    private readonly Counter<long> _rateLimited;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rateLimited = meter.CreateCounter<long>(
            "orleanschat.requests.rate_limited", unit: "{request}", description: "Requests refused by an abuse limit, by limit");
    }

    public void RateLimited(LimitKind limit) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("orleanschat.limit", LimitNames.Of(limit)));
}
