namespace OrleansChat.LoadTest;

/// <summary>
/// Latencies in fixed 0.1 ms buckets up to 60 s (beyond that in the last one): recording is one
/// interlocked increment, so the receive path allocates nothing.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BucketMilliseconds = 0.1;
    private readonly long[] _buckets = new long[600_000];
    private long _count;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var ticks = Math.Max(0, latency.Ticks);
        var bucket = (int)Math.Min(_buckets.Length - 1, ticks / (TimeSpan.TicksPerMillisecond * BucketMilliseconds));
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        long max;
        while (ticks > (max = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, ticks, max) != max)
        {
        }
    }

    /// <summary>The latency in milliseconds below which the fraction <paramref name="quantile"/> of samples fall.</summary>
    public double Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var bucket = 0; bucket < _buckets.Length; bucket++)
        {
            seen += Interlocked.Read(ref _buckets[bucket]);
            if (seen >= rank)
            {
                return Math.Round((bucket + 1) * BucketMilliseconds, 1);
            }
        }

        return MaxMilliseconds;
    }

    public double MaxMilliseconds => Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks)).TotalMilliseconds, 1);
}
