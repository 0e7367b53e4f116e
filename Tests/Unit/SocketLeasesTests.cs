using OrleansChat.Presence;
using OrleansChat.Users;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class SocketLeasesTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);
    private readonly IGatewayObserver _gateway = new NoGateway();
    private readonly SocketLeases _leases = new();

    [Fact]
    public void OnlineWhileAnyGatewayHoldsASocket()
    {
        _leases.Apply(Report("a", sockets: 2, version: 1), Now);
        _leases.Apply(Report("b", sockets: 1, version: 1), Now);
        _leases.Apply(Report("a", sockets: 0, version: 2), Now);

        Assert.True(_leases.IsOnline);
        Assert.Single(_leases.ConnectedGateways);

        _leases.Apply(Report("b", sockets: 0, version: 2), Now);
        Assert.False(_leases.IsOnline);
        Assert.Empty(_leases.ConnectedGateways);
    }

    [Fact]
    public void ReportOvertakenOnTheWay_IgnoredEvenAfterTheCountReachedZero()
    {
        _leases.Apply(Report("a", sockets: 0, version: 5), Now);
        _leases.Apply(Report("a", sockets: 1, version: 4), Now);

        Assert.False(_leases.IsOnline);
    }

    [Fact]
    public void LeaseNotRenewed_ExpiresAndLeavesNothing()
    {
        _leases.Apply(Report("dying", sockets: 1, version: 1), Now);

        _leases.Expire(Now + Lease - TimeSpan.FromTicks(1));
        Assert.True(_leases.IsOnline);
        _leases.Expire(Now + Lease);

        Assert.False(_leases.IsOnline);
        Assert.True(_leases.IsEmpty);
    }

    [Fact]
    public void RenewedLease_OutlivesTheFirst()
    {
        _leases.Apply(Report("a", sockets: 1, version: 1), Now);
        _leases.Apply(Report("a", sockets: 1, version: 2), Now + TimeSpan.FromSeconds(6));

        _leases.Expire(Now + Lease);

        Assert.True(_leases.IsOnline);
    }

    private SocketReport Report(string gatewayId, int sockets, long version) => new(gatewayId, _gateway, sockets, version, Lease);

    /// <summary>The leases only carry the gateway's callback; nothing calls it here.</summary>
    private sealed class NoGateway : IGatewayObserver
    {
        public Task MembershipChanged(string userId, string group, bool isMember, long lastSeq) => Task.CompletedTask;

        public Task SessionsEnded(string userId, IReadOnlyList<long> sessionIds) => Task.CompletedTask;

        public Task ReadMarked(string userId, ReadMarker marker) => Task.CompletedTask;

        public Task GroupNoticed(string userId, OrleansChat.Groups.GroupNotice notice) => Task.CompletedTask;
    }
}
