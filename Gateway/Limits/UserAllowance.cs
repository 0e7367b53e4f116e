using Microsoft.Extensions.Options;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Limits;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// Publishes, typing notices, joins and leaves, read markers and sign-ins per user, over all of the user's sockets on this gateway, so
/// that opening more sockets buys no more of them. Joins and leaves each cost a group grain a write and a
/// presence event to every member, so a burst of them is bounded too.
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
                new TokenBucket(limits.TypingPerSecond, limits.TypingBurst, clock),
                new TokenBucket(limits.MembershipChangesPerSecond, limits.MembershipChangeBurst, clock),
                new TokenBucket(limits.SignInsPerSecond, limits.SignInBurst, clock),
                new TokenBucket(limits.ReadMarkersPerSecond, limits.ReadMarkerBurst, clock)),
            user => user.Publishes.IsFull && user.Typing.IsFull && user.MembershipChanges.IsFull && user.SignIns.IsFull && user.ReadMarkers.IsFull);
    }

    /// <summary>The limit the user's request breaks, or null when it may go ahead.</summary>
    public LimitKind? Breaks(string userId, ClientRequest request)
    {
        LimitKind? kind = request switch
        {
            PublishRequest or DirectRequest or EditRequest or DeleteRequest => LimitKind.Publishes,
            TypingRequest => LimitKind.Typing,
            JoinRequest or LeaveRequest or BlockRequest or ForgetRequest or CreateRequest or ModerateRequest or DeleteGroupRequest => LimitKind.MembershipChanges,
            ReadRequest => LimitKind.ReadMarkers,
            _ => null,
        };
        if (kind is not { } limit)
        {
            return null;
        }

        lock (_users.Lock)
        {
            var user = _users.For(userId);
            var bucket = limit switch
            {
                LimitKind.Publishes => user.Publishes,
                LimitKind.Typing => user.Typing,
                LimitKind.ReadMarkers => user.ReadMarkers,
                _ => user.MembershipChanges,
            };
            return bucket.TryTake() ? null : limit;
        }
    }

    /// <summary>Whether the user has a sign-in left, without taking it.</summary>
    public bool HasSignIn(string userId)
    {
        lock (_users.Lock)
        {
            return _users.For(userId).SignIns.HasToken;
        }
    }

    /// <summary>Takes one of the user's sign-ins (a socket bound to the user); false when there is none left.</summary>
    public bool TakeSignIn(string userId)
    {
        lock (_users.Lock)
        {
            return _users.For(userId).SignIns.TryTake();
        }
    }

    private sealed record UserBuckets(TokenBucket Publishes, TokenBucket Typing, TokenBucket MembershipChanges, TokenBucket SignIns, TokenBucket ReadMarkers);
}
