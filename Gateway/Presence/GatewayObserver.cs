using System.Net.WebSockets;
using OrleansChat.Conversations;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Presence;

/// <summary>
/// Applies a join or leave (or a new direct conversation) made on any socket of a user, a read marker, or the end of a
/// session, to that user's sockets on this gateway.
/// </summary>
internal sealed class GatewayObserver(ConnectionRegistry registry, FollowTable follows) : IGatewayObserver
{
    public Task MembershipChanged(string userId, string group, bool isMember, long lastSeq)
    {
        // Direct conversations reach only the sockets that asked for the protocol revision with direct messages.
        var direct = ConversationKey.Parse(group).IsDirect;
        foreach (var connection in registry.OfUser(userId))
        {
            if (direct && !connection.SpeaksRevision2)
            {
                continue;
            }

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

    /// <summary>
    /// Shows an invitation, or the end of a membership, to the user's sockets that asked for revision 2 (the removed
    /// user may also hear it from the group's own event); an ended membership stops every socket following it.
    /// </summary>
    public Task GroupNoticed(string userId, GroupNotice notice)
    {
        foreach (var connection in registry.OfUser(userId))
        {
            if (connection.SpeaksRevision2 && connection.User is { } user)
            {
                connection.Send(notice.Kind switch
                {
                    GroupNoticeKind.Invited => ServerFrames.Invitation(notice.Group, notice.By),
                    GroupNoticeKind.Deleted => ServerFrames.GroupDeleted(notice.Group, notice.By),
                    GroupNoticeKind.Kicked => ServerFrames.Member(notice.Group, user.Username, MemberAction.Kick, notice.By, GroupRole.Member),
                    _ => ServerFrames.Member(notice.Group, user.Username, MemberAction.Ban, notice.By, GroupRole.Member),
                });
            }

            if (notice.EndsMembership)
            {
                follows.Unfollow(connection, notice.Group);
            }
        }

        return Task.CompletedTask;
    }

    /// <remarks>A new frame type: only for the sockets that asked for the protocol revision with it.</remarks>
    public Task ReadMarked(string userId, ReadMarker marker)
    {
        var frame = ServerFrames.Read(marker);
        foreach (var connection in registry.OfUser(userId))
        {
            if (connection.SpeaksRevision2)
            {
                connection.Send(frame);
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
