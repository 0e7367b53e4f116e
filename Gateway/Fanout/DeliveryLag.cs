namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// How late one group's messages reach this gateway (from stored to queued for the sockets), as the lag that
/// stays: the smallest lag among the messages forwarded within the last window. A burst or a GC pause makes a
/// few messages late and passes; only when every message of a window was late is there a queue that does not
/// drain. This is the idea of CoDel's minimum sojourn time over an interval.
/// </summary>
/// <remarks>
/// The relay's loop records and publishes read, under a lock that neither holds for more than a scan of
/// <see cref="Remembered"/> entries. When more messages than that are forwarded within a window, the lag
/// is the smallest of the latest ones, which only makes the signal more recent.
/// </remarks>
internal sealed class DeliveryLag
{
    internal const int Remembered = 32;

    private readonly Lock _lock = new();
    private readonly (long AtTicks, long LagTicks)[] _forwards = new (long, long)[Remembered];
    private int _next;

    public void Forwarded(DateTime storedAt, DateTime now)
    {
        lock (_lock)
        {
            _forwards[_next] = (now.Ticks, Math.Max(0, (now - storedAt).Ticks));
            _next = (_next + 1) % Remembered;
        }
    }

    /// <summary>The smallest lag of the messages forwarded within <paramref name="window"/> before now; zero when none was, as then nothing waits.</summary>
    public TimeSpan Standing(DateTime now, TimeSpan window)
    {
        var since = now.Ticks - window.Ticks;
        var smallest = long.MaxValue;
        lock (_lock)
        {
            foreach (var (atTicks, lagTicks) in _forwards)
            {
                if (atTicks != 0 && atTicks >= since)
                {
                    smallest = Math.Min(smallest, lagTicks);
                }
            }
        }

        return smallest == long.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks(smallest);
    }
}
