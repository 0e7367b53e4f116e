using OrleansChat.Presence;

namespace OrleansChat.Users;

/// <summary>
/// Presence as soft state: which gateways hold how many of a user's sockets, each under a lease the
/// gateway renews. Never stored: after a restart the gateways' next renewals rebuild it.
/// </summary>
internal sealed class SocketLeases
{
    // A report of zero sockets stays as a tombstone until its lease runs out, so that an older report
    // overtaken on the way cannot bring the user back online.
    private readonly Dictionary<string, Lease> _byGateway = [];

    public bool IsOnline => _byGateway.Values.Any(lease => lease.SocketCount > 0);

    public bool IsEmpty => _byGateway.Count == 0;

    public IEnumerable<IGatewayObserver> ConnectedGateways =>
        _byGateway.Values.Where(lease => lease.SocketCount > 0).Select(lease => lease.Gateway);

    /// <summary>Applies a gateway's report unless a newer one from that gateway came first.</summary>
    public void Apply(SocketReport report, DateTime now)
    {
        if (_byGateway.TryGetValue(report.GatewayId, out var current) && current.Version > report.Version)
        {
            return;
        }

        _byGateway[report.GatewayId] = new Lease(report.Gateway, report.SocketCount, report.Version, now + report.Lease);
    }

    /// <summary>Drops the leases of gateways that stopped renewing, for example because they died.</summary>
    public void Expire(DateTime now)
    {
        foreach (var (gatewayId, lease) in _byGateway.ToList())
        {
            if (lease.ExpiresAt <= now)
            {
                _byGateway.Remove(gatewayId);
            }
        }
    }

    private sealed record Lease(IGatewayObserver Gateway, int SocketCount, long Version, DateTime ExpiresAt);
}
