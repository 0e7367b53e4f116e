using OrleansChat.Gateway.Protocol;
using OrleansChat.Limits;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// One socket's request budgets: one for requests of any kind, and (made on the socket's first publish or
/// typing notice, since most idle sockets never send one) one each for publishes and typing notices. Only
/// the socket's read loop uses it, one request at a time, so it needs no lock.
/// </summary>
internal sealed class SocketAllowance(LimitsOptions limits, TimeProvider clock)
{
    private readonly TokenBucket _requests = new(limits.RequestsPerSecond, limits.RequestBurst, clock);
    private TokenBucket? _publishes;
    private TokenBucket? _typing;
    private int _refusals;

    /// <summary>The limit the request breaks, or null when the socket may make it.</summary>
    public LimitKind? Breaks(ClientRequest request)
    {
        if (!_requests.TryTake())
        {
            return LimitKind.SocketRequests;
        }

        return request switch
        {
            PublishRequest or DirectRequest or EditRequest or DeleteRequest when !(_publishes ??= new(limits.PublishesPerSecond, limits.PublishBurst, clock)).TryTake() => LimitKind.Publishes,
            TypingRequest when !(_typing ??= new(limits.TypingPerSecond, limits.TypingBurst, clock)).TryTake() => LimitKind.Typing,
            _ => null,
        };
    }

    /// <summary>Counts a refused request; true once the socket has been refused as often as it may be.</summary>
    public bool RefusedTooOften() => ++_refusals >= limits.RefusalsBeforeClose;
}
