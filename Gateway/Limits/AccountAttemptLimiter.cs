using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// Registrations and logins per client address, over HTTP and WebSocket alike: each costs a slow
/// password hash, so an unbounded stream of them is both a password-guessing and a CPU attack.
/// </summary>
internal sealed class AccountAttemptLimiter(IOptions<GatewayOptions> options, TimeProvider clock)
{
    /// <summary>Addresses tracked before the buckets that refilled completely are forgotten.</summary>
    private const int SweepAbove = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, TokenBucket> _buckets = [];
    private int _sweepAt = SweepAbove;

    public int TrackedAddresses
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    public bool TryAcquire(IPAddress? client)
    {
        client ??= IPAddress.None;
        lock (_lock)
        {
            if (!_buckets.TryGetValue(client, out var bucket))
            {
                SweepIfLarge();
                var settings = options.Value;
                bucket = new TokenBucket(settings.AccountAttemptsPerSecond, settings.AccountAttemptBurst, clock);
                _buckets[client] = bucket;
            }

            return bucket.TryTake();
        }
    }

    /// <summary>
    /// A full bucket is the same as none, so those go once the table has grown; the next sweep waits until
    /// it has doubled again, which keeps the cost per attempt constant.
    /// </summary>
    private void SweepIfLarge()
    {
        if (_buckets.Count < _sweepAt)
        {
            return;
        }

        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.Remove(address);
            }
        }

        _sweepAt = Math.Max(SweepAbove, _buckets.Count * 2);
    }
}
