using Orleans.Concurrency;

namespace OrleansChat.Presence;

/// <summary>
/// A gateway's callback, so that a user's sockets learn of a join or leave made on any socket, and sockets
/// whose session ended are closed.
/// One-way: a user grain never waits on a gateway that may be gone.
/// </summary>
[Alias("OrleansChat.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    [OneWay]
    Task MembershipChanged(string userId, string group, bool isMember, long lastSeq);

    /// <summary>A group invited the user, or ended the membership: tell the user's sockets (and unfollow an ended one).</summary>
    [OneWay]
    Task GroupNoticed(string userId, Groups.GroupNotice notice);

    /// <summary>The user marked a conversation read on some socket: tell the user's sockets, so their unread counts agree.</summary>
    [OneWay]
    Task ReadMarked(string userId, Users.ReadMarker marker);

    /// <summary>The sessions (see <see cref="Users.SessionToken.SessionIdOf"/>) no longer valid: close their sockets.</summary>
    [OneWay]
    Task SessionsEnded(string userId, IReadOnlyList<long> sessionIds);
}
