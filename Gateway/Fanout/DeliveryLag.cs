namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// How late one group's messages reach this gateway: the time from a message stored to its frame queued for
/// the sockets, as measured on the last one forwarded. The relay's loop writes it and publishes read it
/// without a lock; a read that mixes two forwards' fields is off by one message's lag, which is harmless.
/// </summary>
internal sealed class DeliveryLag
{
    private long _lagTicks;
    private long _measuredAtTicks;

    public void Forwarded(DateTime storedAt, DateTime now)
    {
        Volatile.Write(ref _lagTicks, Math.Max(0, (now - storedAt).Ticks));
        Volatile.Write(ref _measuredAtTicks, now.Ticks);
    }

    /// <summary>The last lag measured, or zero once it is older than <paramref name="memory"/>: nothing forwarded since means nothing waits.</summary>
    public TimeSpan At(DateTime now, TimeSpan memory)
    {
        var measuredAt = Volatile.Read(ref _measuredAtTicks);
        return measuredAt != 0 && now.Ticks - measuredAt <= memory.Ticks ? TimeSpan.FromTicks(Volatile.Read(ref _lagTicks)) : TimeSpan.Zero;
    }
}
