namespace OrleansChat.Gateway.Limits;

/// <summary>
/// A token bucket: <c>burst</c> tokens at most, refilled at <c>perSecond</c>. It refills lazily from the
/// time elapsed whenever it is asked, so it needs no timer (idle sockets are many, each with a bucket).
/// Not thread-safe: its owner serialises the calls.
/// </summary>
internal sealed class TokenBucket(double perSecond, int burst, TimeProvider clock)
{
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    /// <summary>True when the bucket has refilled completely, so forgetting it changes nothing.</summary>
    public bool IsFull
    {
        get
        {
            Refill();
            return _tokens >= burst;
        }
    }

    /// <summary>Whether <see cref="TryTake"/> would succeed now, without taking.</summary>
    public bool HasToken
    {
        get
        {
            Refill();
            return _tokens >= 1;
        }
    }

    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    private void Refill()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (clock.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
        _refilledAt = now;
    }
}
