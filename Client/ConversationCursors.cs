namespace OrleansChat.Client;

/// <summary>
/// Per conversation (a group, or a direct conversation under <see cref="DirectKey"/>), the last seq reported to
/// the application, the conversation's seq when this client began following it (from a join, a login or its
/// first message), and the newest change rev reported. Together they say which messages and changes are new and
/// from where to catch up after a reconnect.
/// </summary>
internal sealed class ConversationCursors
{
    /// <summary>'@' is in no group name, so a direct conversation's key never meets a group's.</summary>
    private const string DirectPrefix = "@";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long? Delivered, long Baseline, long Rev)> _groups = new(StringComparer.Ordinal);

    /// <summary>The key of the direct conversation with a user, by the registered name the server reports.</summary>
    public static string DirectKey(string with) => DirectPrefix + with;

    /// <summary>The other user of a direct conversation's key; null for a group's.</summary>
    public static string? DirectWith(string key) => key.StartsWith(DirectPrefix, StringComparison.Ordinal) ? key[DirectPrefix.Length..] : null;

    public void Follow(string group, long baseline, long rev)
    {
        lock (_lock)
        {
            if (!_groups.ContainsKey(group))
            {
                _groups[group] = (null, baseline, rev);
            }
        }
    }

    public bool Follows(string group)
    {
        lock (_lock)
        {
            return _groups.ContainsKey(group);
        }
    }

    /// <summary>The rev after which no change has been reported yet.</summary>
    public long RevOf(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var cursor) ? cursor.Rev : 0;
        }
    }

    /// <summary>
    /// True when <paramref name="rev"/> is newer than any change reported in a followed conversation; it is
    /// recorded as reported.
    /// </summary>
    public bool TryAdvanceRev(string group, long rev)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(group, out var cursor) || rev <= cursor.Rev)
            {
                return false;
            }

            _groups[group] = cursor with { Rev = rev };
            return true;
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
            var (delivered, baseline, rev) = _groups.GetValueOrDefault(group, (null, 0, 0));
            if (seq <= delivered)
            {
                return false;
            }

            _groups[group] = (seq, baseline, rev);
            return true;
        }
    }

    /// <summary>The keys of every conversation followed: group names and <see cref="DirectKey"/>s.</summary>
    public IReadOnlyList<string> Keys
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
