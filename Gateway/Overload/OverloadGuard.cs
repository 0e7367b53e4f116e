using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;

namespace OrleansChat.Gateway.Overload;

/// <summary>
/// Refuses a publish at once, before it is stored, while this gateway cannot deliver in time: its work waits
/// too long for a thread, or the group's messages reach its sockets too late (or have not reached them yet). Queueing it instead would only
/// make every later message later still; refused, the client retries after the hint and nothing is lost.
/// </summary>
/// <remarks>
/// Lags are measured against message timestamps, so on the real clock whatever clock the rest of the gateway
/// is given (tests fake it for limits).
/// </remarks>
internal sealed class OverloadGuard(FollowTable follows, ThreadPoolDelayProbe threadPool, IOptions<GatewayOptions> options)
{
    private readonly OverloadOptions _options = options.Value.Overload;

    public void EnsureRoomToPublish(string group)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var waitForThread = threadPool.Delay;
        var lag = follows.LagOf(group)?.Standing(DateTime.UtcNow, _options.LagWindow) ?? TimeSpan.Zero;
        if (waitForThread <= _options.MaxThreadPoolDelay && lag <= _options.MaxDeliveryLag)
        {
            return;
        }

        var retryAfter = TimeSpan.FromMilliseconds(Math.Ceiling(
            Math.Clamp(Math.Max(waitForThread.TotalMilliseconds, lag.TotalMilliseconds), _options.MinRetryAfter.TotalMilliseconds, _options.MaxRetryAfter.TotalMilliseconds)));
        throw new ChatException(ChatErrorCode.Overloaded, $"the server is overloaded; retry in {retryAfter.TotalMilliseconds:0} ms") { RetryAfter = retryAfter };
    }

    /// <summary>A publish was stored as <paramref name="seq"/>: until it comes back off the stream, its wait counts as lag.</summary>
    public void Acknowledged(string group, long seq)
    {
        if (_options.Enabled)
        {
            follows.LagOf(group)?.Acknowledged(seq, DateTime.UtcNow);
        }
    }
}
