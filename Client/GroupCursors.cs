namespace OrleansChat.Client;

/// <summary>
/// Per group, the last seq reported to the application, and the group's seq when this client began
/// following it (from a join or a login). Together they say which messages are new and from where to
/// catch up after a reconnect.
/// </summary>
internal sealed class GroupCursors
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long? Delivered, long Baseline)> _groups = new(StringComparer.Ordinal);

    public void Follow(string group, long baseline)
    {
        lock (_lock)
        {
            if (!_groups.ContainsKey(group))
            {
                _groups[group] = (null, baseline);
            }
        }
    }

    public void Forget(string group)
    {
        lock (_lock)
        {
            _groups.Remove(group);
        }
    }

    /// <summary>The seq after which nothing has been reported yet.</summary>
    public long ReportedThrough(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var cursor) ? cursor.Delivered ?? cursor.Baseline : 0;
        }
    }

    /// <summary>True when <paramref name="seq"/> was not reported yet; it is recorded as reported.</summary>
    public bool TryAdvance(string group, long seq)
    {
        lock (_lock)
        {
            var (delivered, baseline) = _groups.GetValueOrDefault(group, (null, 0));
            if (seq <= delivered)
            {
                return false;
            }

            _groups[group] = (seq, baseline);
            return true;
        }
    }

    public IReadOnlyList<string> Groups
    {
        get
        {
            lock (_lock)
            {
                return [.. _groups.Keys];
            }
        }
    }
}
