namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// How late one group's messages reach this gateway's sockets, as the lag that stays. Two measures, and the
/// larger counts:
/// <list type="bullet">
/// <item>the smallest lag (stored to queued for the sockets) among the messages forwarded within the last
/// window: a burst or a GC pause makes a few messages late and passes; only when every message of a window
/// was late is there a queue that does not drain (the idea of CoDel's minimum sojourn time);</item>
/// <item>how long a message acknowledged here has been waiting to come back off the stream. A late message's
/// lag is known only once it arrives, so under a growing queue the first measure lags the queue by the queue
/// itself, and every publish accepted meanwhile joins it; this one grows while the message waits.</item>
/// </list>
/// </summary>
/// <remarks>
/// The relay's loop records forwards and the publish path records acknowledgements; the overload guard
/// reads. The lock is never held for more than a scan of <see cref="Remembered"/> entries. When more messages
/// than that are forwarded within a window, the lag is the smallest of the latest ones, which only makes the
/// signal more recent. Only one waiting acknowledgement is tracked, the earliest since the previous one came
/// back: acknowledgements arrive about in seq order, so it is the oldest waiting one or close to it.
/// </remarks>
internal sealed class DeliveryLag
{
    internal const int Remembered = 32;

    private readonly Lock _lock = new();
    private readonly (long AtTicks, long LagTicks)[] _forwards = new (long, long)[Remembered];
    private int _next;
    private long _forwardedThrough;
    private (long Seq, long AtTicks)? _awaited;

    /// <summary>A publish to the group was acknowledged here at <paramref name="now"/> with <paramref name="seq"/>.</summary>
    public void Acknowledged(long seq, DateTime now)
    {
        lock (_lock)
        {
            if (seq > _forwardedThrough && _awaited is null)
            {
                _awaited = (seq, now.Ticks);
            }
        }
    }

    public void Forwarded(long seq, DateTime storedAt, DateTime now)
    {
        lock (_lock)
        {
            _forwards[_next] = (now.Ticks, Math.Max(0, (now - storedAt).Ticks));
            _next = (_next + 1) % Remembered;
            _forwardedThrough = Math.Max(_forwardedThrough, seq);
            if (_awaited is { Seq: var awaited } && awaited <= seq)
            {
                _awaited = null;
            }
        }
    }

    /// <summary>
    /// The larger of the smallest lag forwarded within <paramref name="window"/> before now and the wait of the
    /// acknowledged message not yet forwarded; zero when neither is, as then nothing waits.
    /// </summary>
    public TimeSpan Standing(DateTime now, TimeSpan window)
    {
        var since = now.Ticks - window.Ticks;
        var smallest = long.MaxValue;
        long waiting;
        lock (_lock)
        {
            foreach (var (atTicks, lagTicks) in _forwards)
            {
                if (atTicks != 0 && atTicks >= since)
                {
                    smallest = Math.Min(smallest, lagTicks);
                }
            }

            waiting = _awaited is { AtTicks: var acknowledgedAt } ? Math.Max(0, now.Ticks - acknowledgedAt) : 0;
        }

        return TimeSpan.FromTicks(Math.Max(smallest == long.MaxValue ? 0 : smallest, waiting));
    }
}
