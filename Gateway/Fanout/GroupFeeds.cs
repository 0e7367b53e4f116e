using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// This gateway's feeds, one per group that has local sockets: a group's stream is subscribed once
/// however many sockets follow it, and unsubscribed when the last one leaves.
/// </summary>
internal sealed class GroupFeeds(IClusterClient cluster, ILoggerFactory loggers)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GroupFeed> _feeds = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>
    /// Starts delivering the group's messages with seq above <paramref name="startSeq"/>; no-op when
    /// already attached. The task completes once the feed is subscribed and the socket is on it.
    /// </summary>
    public Task Attach(string group, ChatConnection connection, long startSeq)
    {
        lock (_lock)
        {
            if (connection.IsReleased || !connection.TryFollow(group))
            {
                return Task.CompletedTask;
            }

            if (!_feeds.TryGetValue(group, out var feed))
            {
                feed = new GroupFeed(group, startSeq, cluster, loggers.CreateLogger<GroupFeed>());
                _feeds[group] = feed;
            }

            return feed.Attach(connection, startSeq);
        }
    }

    public void Detach(string group, ChatConnection connection)
    {
        lock (_lock)
        {
            if (connection.TryUnfollow(group) && _feeds.TryGetValue(group, out var feed) && feed.Detach(connection) == 0)
            {
                _feeds.Remove(group);
                feed.Stop();
            }
        }
    }

    /// <summary>Detaches a closed socket from every feed; no feed takes it again afterwards.</summary>
    public void Release(ChatConnection connection)
    {
        lock (_lock)
        {
            connection.IsReleased = true;
            foreach (var group in connection.Groups)
            {
                Detach(group, connection);
            }
        }
    }

    /// <summary>Makes every feed compare its last forwarded seq with the group's, repairing a lost tail.</summary>
    public void CheckTails()
    {
        lock (_lock)
        {
            foreach (var feed in _feeds.Values)
            {
                feed.CheckTail();
            }
        }
    }

    /// <summary>After the cluster connection was lost and regained, subscriptions may be gone: renew them all.</summary>
    public void Resubscribe()
    {
        lock (_lock)
        {
            foreach (var feed in _feeds.Values)
            {
                feed.Resubscribe();
            }
        }
    }
}
