using System.Diagnostics.Metrics;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Overload;
using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Gateway.Metrics;

/// <summary>What the gateway holds right now, read when an exporter asks: open sockets, users online, relayed groups and the thread pool's delay.</summary>
internal sealed class GatewayGauges
{
    public GatewayGauges(IMeterFactory meters, ConnectionRegistry sockets, FollowTable follows, ThreadPoolDelayProbe threadPool)
    {
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableUpDownCounter("orleanschat.sockets.open", () => (long)sockets.Count, unit: "{socket}", description: "Open WebSocket connections");
        meter.CreateObservableUpDownCounter(
            "orleanschat.users.online", () => (long)sockets.UserCount, unit: "{user}", description: "Users with an authenticated socket on this gateway");
        meter.CreateObservableUpDownCounter(
            "orleanschat.groups.relayed", () => (long)follows.FollowedGroups, unit: "{group}", description: "Groups with local followers, one stream subscription each");
        meter.CreateObservableGauge(
            "orleanschat.threadpool.queue_delay", () => threadPool.Delay.TotalSeconds, unit: "s", description: "How long work last waited for a thread; publishes are refused overloaded past Gateway:Overload:MaxThreadPoolDelay");
    }
}
