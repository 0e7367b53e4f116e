using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansChat.Gateway.Requests;

/// <summary>
/// Registrations and logins per client address, over HTTP and WebSocket alike: each costs a slow
/// password hash, so an unbounded stream of them is both a password-guessing and a CPU attack.
/// </summary>
internal sealed class AccountAttemptLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public AccountAttemptLimiter(IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.AccountAttemptBurst,
                TokensPerPeriod = settings.AccountAttemptsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool TryAcquire(IPAddress? client)
    {
        using var lease = _limiter.AttemptAcquire(client ?? IPAddress.None);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
