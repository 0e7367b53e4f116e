using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;

namespace OrleansChat.Gateway.Overload;

/// <summary>
/// Refuses a publish at once, before it is stored, while this gateway cannot deliver in time: its work waits
/// too long for a thread, or the group's messages reach its sockets too late (or have not reached them yet).
/// Queueing it instead would only make every later message later still; refused, the client retries after the
/// hint and nothing is lost.
/// </summary>
/// <remarks>
/// Lags are measured against message timestamps, so on the real clock whatever clock the rest of the gateway
/// is given (tests fake it for limits).
/// </remarks>
internal sealed class OverloadGuard(FollowTable follows, ThreadPoolDelayProbe threadPool, IOptions<GatewayOptions> options)
{
    private readonly OverloadOptions _options = options.Value.Overload;

    /// <summary>
    /// Throws <see cref="ChatErrorCode.Overloaded"/> unless there is room to publish to <paramref name="group"/>;
    /// otherwise returns the group's delivery lag here, to be told the message's seq once it is stored (null when
    /// the guard is off or no socket here follows the group), so a publish looks the group up once.
    /// </summary>
    public DeliveryLag? EnsureRoomToPublish(string group)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        var waitForThread = threadPool.Delay;
        var deliveryLag = follows.LagOf(group);
        var lag = deliveryLag?.Standing(DateTime.UtcNow, _options.LagWindow) ?? TimeSpan.Zero;
        if (waitForThread <= _options.MaxThreadPoolDelay && lag <= _options.MaxDeliveryLag)
        {
            return deliveryLag;
        }

        var retryAfter = TimeSpan.FromMilliseconds(Math.Ceiling(
            Math.Clamp(Math.Max(waitForThread.TotalMilliseconds, lag.TotalMilliseconds), _options.MinRetryAfter.TotalMilliseconds, _options.MaxRetryAfter.TotalMilliseconds)));
        throw new ChatException(ChatErrorCode.Overloaded, $"the server is overloaded; retry in {retryAfter.TotalMilliseconds:0} ms") { RetryAfter = retryAfter };
    }
}
