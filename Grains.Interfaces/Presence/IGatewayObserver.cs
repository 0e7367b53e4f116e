using Orleans.Concurrency;

namespace OrleansChat.Presence;

/// <summary>
/// A gateway's callback, so that a user's other sockets learn of a join or leave made on any socket.
/// One-way: a user grain never waits on a gateway that may be gone.
/// </summary>
[Alias("OrleansChat.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    [OneWay]
    Task MembershipChanged(string userId, string group, bool isMember, long lastSeq);
}
