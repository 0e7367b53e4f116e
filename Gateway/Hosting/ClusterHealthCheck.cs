using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansChat.Health;

namespace OrleansChat.Gateway.Hosting;

/// <summary>Ready when a grain call reaches the cluster and comes back.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHealthGrain>(0).Ping().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception)
        {
            return HealthCheckResult.Unhealthy("the cluster did not answer");
        }
    }
}
