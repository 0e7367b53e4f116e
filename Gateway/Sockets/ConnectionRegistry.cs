namespace OrleansChat.Gateway.Sockets;

/// <summary>The sockets open on this gateway, by user, for membership callbacks and for shutdown.</summary>
internal sealed class ConnectionRegistry
{
    private readonly Lock _lock = new();
    private readonly HashSet<ChatConnection> _all = [];
    private readonly Dictionary<string, HashSet<ChatConnection>> _byUser = new(StringComparer.Ordinal);
    private TaskCompletionSource? _allClosed;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _all.Count;
            }
        }
    }

    public void Add(ChatConnection connection)
    {
        lock (_lock)
        {
            _all.Add(connection);
        }
    }

    public void Authenticated(ChatConnection connection, string userId)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var sockets))
            {
                _byUser[userId] = sockets = [];
            }

            sockets.Add(connection);
        }
    }

    public void Remove(ChatConnection connection)
    {
        lock (_lock)
        {
            _all.Remove(connection);
            if (connection.User is { } user && _byUser.TryGetValue(user.UserId, out var sockets))
            {
                sockets.Remove(connection);
                if (sockets.Count == 0)
                {
                    _byUser.Remove(user.UserId);
                }
            }

            if (_all.Count == 0)
            {
                _allClosed?.TrySetResult();
            }
        }
    }

    public IReadOnlyList<ChatConnection> OfUser(string userId)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(userId, out var sockets) ? [.. sockets] : [];
        }
    }

    /// <summary>Asks every socket to close with 1001 once its request in flight is answered, and waits for them.</summary>
    public async Task ShutdownAllAsync(TimeSpan timeout)
    {
        List<ChatConnection> open;
        Task allClosed;
        lock (_lock)
        {
            open = [.. _all];
            _allClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open.Count == 0)
            {
                _allClosed.TrySetResult();
            }

            allClosed = _allClosed.Task;
        }

        foreach (var connection in open)
        {
            connection.Shutdown();
        }

        await allClosed.WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
