using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// Which local sockets follow which groups: the one owner of that relation on this gateway, answering it
/// both ways round (<see cref="ReceiversOf"/> a group, <see cref="GroupsOf"/> a socket), under one lock.
/// Each followed group has one <see cref="GroupRelay"/>, started with its first receiver and stopped after
/// its last, so a group's stream is subscribed once per gateway however many sockets follow it.
/// </summary>
internal sealed class FollowTable(IClusterClient cluster, GatewayMetrics metrics, ILogger<GroupRelay> relayLogger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FollowedGroup> _groups = new(StringComparer.Ordinal);

    // Copy-on-write arrays: a socket follows a handful of groups, for which a set would outweigh the
    // rest of an idle socket.
    private readonly Dictionary<ChatConnection, string[]> _sockets = [];

    /// <summary>Lets the socket follow groups until <see cref="Close"/>.</summary>
    public void Open(ChatConnection socket)
    {
        lock (_lock)
        {
            _sockets.Add(socket, []);
        }
    }

    /// <summary>
    /// Starts delivering the group's messages with seq above <paramref name="startSeq"/> to the socket; a
    /// no-op when it already follows the group or has closed. The task completes once the socket is live
    /// on the group's relay.
    /// </summary>
    public Task Follow(ChatConnection socket, string group, long startSeq)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue(socket, out var groups) || groups.Contains(group))
            {
                return Task.CompletedTask;
            }

            _sockets[socket] = [.. groups, group];
            if (!_groups.TryGetValue(group, out var followed))
            {
                var receivers = new GroupReceivers();

                // The relay's loop outlives this request: it must not carry the request's execution context
                // (the first follower's log scope, and the socket that scope holds) for the rest of its life.
                using (ExecutionContext.SuppressFlow())
                {
                    followed = new FollowedGroup(receivers, new GroupRelay(group, startSeq, receivers, cluster, metrics, relayLogger, UnfollowRemovedUser));
                }

                _groups[group] = followed;
            }

            var receiver = new Receiver(socket, startSeq);
            followed.Receivers.Add(receiver);

            // Queued under the lock, so that no unfollow can stop the relay before the admission is on its loop.
            return followed.Relay.Admit(receiver);
        }
    }

    public void Unfollow(ChatConnection socket, string group)
    {
        lock (_lock)
        {
            UnfollowLocked(socket, group);
        }
    }

    /// <summary>
    /// Ends the follows of a user's sockets here at once, for a relay that saw the user removed from its group
    /// (kicked or banned): the user grain tells this gateway too, but that notice is not retried, and a removed user
    /// must not go on receiving the group. The event may reach the relay after the user has joined again (a public
    /// group), so the group is asked, and if it counts the user as a member those sockets follow it again from
    /// <paramref name="lastForwarded"/>, caught up from history.
    /// </summary>
    public void UnfollowRemovedUser(string group, string userId, long lastForwarded)
    {
        ChatConnection[] removed;
        lock (_lock)
        {
            removed = _groups.TryGetValue(group, out var followed)
                ? [.. followed.Receivers.All.Select(receiver => receiver.Socket).Where(socket => socket.User?.UserId == userId)]
                : [];
            foreach (var socket in removed)
            {
                UnfollowLocked(socket, group);
            }
        }

        if (removed.Length > 0)
        {
            _ = FollowAgainIfMemberAsync(group, userId, removed, lastForwarded);
        }
    }

    private async Task FollowAgainIfMemberAsync(string group, string userId, ChatConnection[] sockets, long lastForwarded)
    {
        try
        {
            await cluster.GetGrain<IGroupGrain>(group).RequireMember(userId);
        }
        catch (Exception ex)
        {
            // Not a member (forbidden, not_found), or no answer: the sockets stay unfollowed until they sign in again.
            relayLogger.LogDebug(ex, "{UserId} stays unfollowed from {Group}", userId, group);
            return;
        }

        foreach (var socket in sockets)
        {
            _ = Follow(socket, group, lastForwarded);
        }
    }

    /// <summary>Ends every follow of a closed socket; it follows nothing afterwards, whatever arrives late.</summary>
    public void Close(ChatConnection socket)
    {
        lock (_lock)
        {
            if (_sockets.Remove(socket, out var groups))
            {
                foreach (var group in groups)
                {
                    RemoveReceiverLocked(socket, group);
                }
            }
        }
    }

    public IReadOnlyList<string> GroupsOf(ChatConnection socket)
    {
        lock (_lock)
        {
            return _sockets.GetValueOrDefault(socket) ?? [];
        }
    }

    /// <summary>Groups with a relay (one stream subscription each) on this gateway.</summary>
    public int FollowedGroups
    {
        get
        {
            lock (_lock)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>How late the group's messages reach the sockets here; null when no socket here follows it.</summary>
    public DeliveryLag? LagOf(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var followed) ? followed.Relay.Lag : null;
        }
    }

    /// <summary>The sockets following the group here, those still being caught up from history included.</summary>
    public IReadOnlyList<Receiver> ReceiversOf(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var followed) ? followed.Receivers.All : [];
        }
    }

    /// <summary>Makes every relay compare its last forwarded seq with its group's, repairing a lost tail.</summary>
    public void CheckTails() => ForEachRelay(relay => relay.CheckTail());

    /// <summary>After the cluster connection was lost and regained, subscriptions may be gone: renew them all.</summary>
    public void Resubscribe() => ForEachRelay(relay => relay.Resubscribe());

    private void ForEachRelay(Action<GroupRelay> action)
    {
        lock (_lock)
        {
            foreach (var followed in _groups.Values)
            {
                action(followed.Relay);
            }
        }
    }

    private void UnfollowLocked(ChatConnection socket, string group)
    {
        if (_sockets.TryGetValue(socket, out var groups) && groups.Contains(group))
        {
            _sockets[socket] = Array.FindAll(groups, followed => followed != group);
            RemoveReceiverLocked(socket, group);
        }
    }

    private void RemoveReceiverLocked(ChatConnection socket, string group)
    {
        if (!_groups.TryGetValue(group, out var followed) || followed.Receivers.Of(socket) is not { } receiver)
        {
            return;
        }

        followed.Receivers.Remove(receiver);
        if (followed.Receivers.Count == 0)
        {
            _groups.Remove(group);
            followed.Relay.Stop();
        }
    }

    private sealed record FollowedGroup(GroupReceivers Receivers, GroupRelay Relay);
}
