using Microsoft.Extensions.Options;
using OrleansChat.Limits;

namespace OrleansChat.Gateway.Sockets;

/// <summary>The sockets open on this gateway, by user, for membership callbacks, the sockets-per-user limit and shutdown.</summary>
internal sealed class ConnectionRegistry(IOptions<LimitsOptions> limits)
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

    /// <summary>Users with at least one authenticated socket here.</summary>
    public int UserCount
    {
        get
        {
            lock (_lock)
            {
                return _byUser.Count;
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

    public bool HasRoomFor(string userId)
    {
        lock (_lock)
        {
            return HasRoomLocked(_byUser.GetValueOrDefault(userId));
        }
    }

    /// <summary>Files the socket under its user; false when the user already has as many sockets here as allowed.</summary>
    public bool TryAuthenticate(ChatConnection connection, string userId)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var sockets))
            {
                _byUser[userId] = sockets = [];
            }

            if (!HasRoomLocked(sockets))
            {
                return false;
            }

            sockets.Add(connection);
            return true;
        }
    }

    private bool HasRoomLocked(HashSet<ChatConnection>? sockets) =>
        !limits.Value.Enabled || (sockets?.Count ?? 0) < limits.Value.SocketsPerUser;

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

    public IReadOnlyList<ChatConnection> All()
    {
        lock (_lock)
        {
            return [.. _all];
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
