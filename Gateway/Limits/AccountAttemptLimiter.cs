using System.Net;
using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// Registrations and logins per client address, over HTTP and WebSocket alike: each costs a slow password
/// hash, so an unbounded stream of them is both a password-guessing and a CPU attack. A token bucket bounds
/// the rate; failed attempts in a row add an exponential back-off, which a success does not reset (one good
/// account must not buy an address more guesses at the others).
/// </summary>
internal sealed class AccountAttemptLimiter
{
    private readonly LimitsOptions _limits;
    private readonly TimeProvider _clock;
    private readonly GatewayMetrics _metrics;
    private readonly KeyedLimits<IPAddress, AddressLimits> _addresses;

    public AccountAttemptLimiter(IOptions<LimitsOptions> options, TimeProvider clock, GatewayMetrics metrics)
    {
        _limits = options.Value;
        _clock = clock;
        _metrics = metrics;
        _addresses = new KeyedLimits<IPAddress, AddressLimits>(
            () => new AddressLimits(
                new TokenBucket(_limits.AccountAttemptsPerSecond, _limits.AccountAttemptBurst, clock),
                new FailureBackoff(_limits.FreeLoginFailures, _limits.LoginBackoff, _limits.LoginBackoffMax)),
            address => address.Attempts.IsFull && address.Failures.IsForgottenAt(Now));
    }

    public int TrackedAddresses
    {
        get
        {
            lock (_addresses.Lock)
            {
                return _addresses.Count;
            }
        }
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>The error that refuses a registration or login from this address now (counted in the metrics), or null when it may go ahead.</summary>
    public ChatException? Refusal(IPAddress? client) => RefusalOf(client, takesAttempt: true);

    /// <summary>
    /// The error that refuses an <c>auth</c> from this address now, or null. Only failed attempts in a row count:
    /// a token costs no password hash, and many clients behind one address reconnecting at once are honest.
    /// </summary>
    public ChatException? AuthenticationRefusal(IPAddress? client) => RefusalOf(client, takesAttempt: false);

    /// <summary>Counts a wrong password or token, or a registration of a taken name, against the address.</summary>
    public void Failed(IPAddress? client)
    {
        if (!_limits.Enabled)
        {
            return;
        }

        lock (_addresses.Lock)
        {
            _addresses.For(client ?? IPAddress.None).Failures.Failed(Now);
        }
    }

    private ChatException? RefusalOf(IPAddress? client, bool takesAttempt)
    {
        if (!_limits.Enabled)
        {
            return null;
        }

        ChatException? refusal;
        lock (_addresses.Lock)
        {
            var address = _addresses.For(client ?? IPAddress.None);
            var wait = address.Failures.WaitAt(Now);
            refusal = wait > TimeSpan.Zero ? ChatRules.TooManyFailedLogins(wait)
                : !takesAttempt || address.Attempts.TryTake() ? null
                : ChatRules.TooManyAccountAttempts();
        }

        if (refusal is not null)
        {
            _metrics.RateLimited(LimitKind.AccountAttempts);
        }

        return refusal;
    }

    private sealed record AddressLimits(TokenBucket Attempts, FailureBackoff Failures);
}
