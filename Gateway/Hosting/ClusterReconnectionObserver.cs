using Orleans.Core;
using OrleansChat.Gateway.Fanout;

namespace OrleansChat.Gateway.Hosting;

/// <summary>
/// In client mode, stream subscriptions do not survive a lost cluster connection (the silos drop a
/// client's subscriptions when they cannot reach it), so every relay subscribes again once the
/// connection is back; each re-subscription repairs the gap from history.
/// </summary>
/// <remarks>
/// The follow table is resolved when needed: it depends on the cluster client, which creates this observer.
/// </remarks>
internal sealed class ClusterReconnectionObserver(IServiceProvider services, ILogger<ClusterReconnectionObserver> logger) : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => logger.LogWarning("Lost the connection to the Orleans cluster");

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered || (previousNumberOfGateways == 0 && currentNumberOfGateways > 0))
        {
            logger.LogInformation("Connected to the Orleans cluster again ({Gateways} gateways); renewing stream subscriptions", currentNumberOfGateways);
            services.GetRequiredService<FollowTable>().Resubscribe();
        }
    }
}
