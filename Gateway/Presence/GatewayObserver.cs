using System.Net.WebSockets;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Presence;

namespace OrleansChat.Gateway.Presence;

/// <summary>Applies a join or leave made on any socket of a user, or the end of a session, to that user's sockets on this gateway.</summary>
internal sealed class GatewayObserver(ConnectionRegistry registry, FollowTable follows) : IGatewayObserver
{
    public Task MembershipChanged(string userId, string group, bool isMember, long lastSeq)
    {
        foreach (var connection in registry.OfUser(userId))
        {
            if (isMember)
            {
                _ = follows.Follow(connection, group, lastSeq);
            }
            else
            {
                follows.Unfollow(connection, group);
            }
        }

        return Task.CompletedTask;
    }

    public Task SessionsEnded(string userId, IReadOnlyList<long> sessionIds)
    {
        foreach (var connection in registry.OfUser(userId))
        {
            if (sessionIds.Contains(connection.SessionId))
            {
                connection.Outbound.Close(WebSocketCloseStatus.PolicyViolation, "session ended");
            }
        }

        return Task.CompletedTask;
    }
}
