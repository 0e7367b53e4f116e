using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansChat.LoadTest;

/// <summary>Counters shared by all sockets of a run; every update is lock-free.</summary>
internal sealed class LoadStatistics
{
    private readonly ConcurrentDictionary<long, long> _publishTimestamps = new();
    private long _published;
    private long _acked;
    private long _delivered;
    private long _gaps;
    private long _duplicates;
    private long _outOfOrder;
    private long _closed;
    private long _loweredAt;

    public static readonly TimeSpan SettlingTime = TimeSpan.FromSeconds(2);

    /// <summary>Messages sent before the offered rate was lowered (all of them when it never is).</summary>
    public LatencyHistogram Delivery { get; } = new();

    /// <summary>Messages sent in the first <see cref="SettlingTime"/> after the rate was lowered.</summary>
    public LatencyHistogram Settling { get; } = new();

    /// <summary>Messages sent later than that at the lower rate: latency "back to normal" is read here.</summary>
    public LatencyHistogram Settled { get; } = new();

    /// <summary>When publishers went to the lower rate (a Stopwatch timestamp); zero until then.</summary>
    public long LoweredAt
    {
        get => Interlocked.Read(ref _loweredAt);
        set => Interlocked.Exchange(ref _loweredAt, value);
    }

    public LatencyHistogram Ack { get; } = new();

    public ConcurrentDictionary<string, long> Errors { get; } = new();

    public bool Measuring { get; set; }

    public long Published => Interlocked.Read(ref _published);

    public long Acked => Interlocked.Read(ref _acked);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Gaps => Interlocked.Read(ref _gaps);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long ClosedByServer => Interlocked.Read(ref _closed);

    public void RecordPublish(long id)
    {
        _publishTimestamps[id] = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _published);
    }

    public void RecordAck(long id)
    {
        if (_publishTimestamps.TryRemove(id, out var sent))
        {
            Interlocked.Increment(ref _acked);
            if (Measuring)
            {
                Ack.Record(Stopwatch.GetElapsedTime(sent));
            }
        }
    }

    /// <summary>Counts an error reply; for a publish (<paramref name="id"/>) its send time is dropped, as no ok will follow.</summary>
    public void RecordError(string code, long? id = null)
    {
        if (id is { } publish)
        {
            _publishTimestamps.TryRemove(publish, out _);
        }

        Errors.AddOrUpdate(code, 1, (_, count) => count + 1);
    }

    public void RecordDelivery(long sentTimestamp)
    {
        Interlocked.Increment(ref _delivered);
        var latency = Stopwatch.GetElapsedTime(sentTimestamp);
        var loweredAt = LoweredAt;
        if (loweredAt == 0 || sentTimestamp < loweredAt)
        {
            Delivery.Record(latency);
        }
        else
        {
            (Stopwatch.GetElapsedTime(loweredAt, sentTimestamp) < SettlingTime ? Settling : Settled).Record(latency);
        }
    }

    public void RecordGap(long missing) => Interlocked.Add(ref _gaps, missing);

    public void RecordDuplicateOrReordered(bool reordered) => Interlocked.Increment(ref reordered ? ref _outOfOrder : ref _duplicates);

    public void RecordClosed() => Interlocked.Increment(ref _closed);
}
