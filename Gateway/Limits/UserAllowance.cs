using Microsoft.Extensions.Options;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Limits;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// Publishes and typing notices per user, over all of the user's sockets on this gateway, so that opening
/// more sockets buys no more messages.
/// </summary>
internal sealed class UserAllowance
{
    private readonly KeyedLimits<string, UserBuckets> _users;

    public UserAllowance(IOptions<LimitsOptions> options, TimeProvider clock)
    {
        var limits = options.Value;
        _users = new KeyedLimits<string, UserBuckets>(
            () => new UserBuckets(
                new TokenBucket(limits.PublishesPerSecond, limits.PublishBurst, clock),
                new TokenBucket(limits.TypingPerSecond, limits.TypingBurst, clock)),
            user => user.Publishes.IsFull && user.Typing.IsFull);
    }

    /// <summary>The limit the user's request breaks, or null when it may go ahead.</summary>
    public LimitKind? Breaks(string userId, ClientRequest request)
    {
        if (request is not (PublishRequest or TypingRequest))
        {
            return null;
        }

        lock (_users.Lock)
        {
            var user = _users.For(userId);
            return request is PublishRequest
                ? (user.Publishes.TryTake() ? null : LimitKind.Publishes)
                : (user.Typing.TryTake() ? null : LimitKind.Typing);
        }
    }

    private sealed record UserBuckets(TokenBucket Publishes, TokenBucket Typing);
}
