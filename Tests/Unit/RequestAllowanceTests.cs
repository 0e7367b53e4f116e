using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Limits;

namespace OrleansChat.Tests.Unit;

/// <summary>The budgets of one socket and of one user, on a fake clock.</summary>
[Trait("Category", "Unit")]
public sealed class RequestAllowanceTests
{
    private static readonly LimitsOptions Limits = new()
    {
        RequestsPerSecond = 10, RequestBurst = 10, PublishesPerSecond = 1, PublishBurst = 2, TypingPerSecond = 1, TypingBurst = 1,
        MembershipChangesPerSecond = 1, MembershipChangeBurst = 3, RefusalsBeforeClose = 2,
    };

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Socket_PublishesHaveABudgetOfTheirOwn_OtherRequestsGoOn()
    {
        var socket = new SocketAllowance(Limits, _clock);

        Assert.Equal([null, null, LimitKind.Publishes], Enumerable.Range(0, 3).Select(_ => socket.Breaks(Publish)));
        Assert.Null(socket.Breaks(new PingRequest(RequestId.None)));
        Assert.Equal([null, LimitKind.Typing], Enumerable.Range(0, 2).Select(_ => socket.Breaks(Typing)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(socket.Breaks(Publish));
    }

    [Fact]
    public void Socket_AnyRequestPastItsBurst_BreaksTheRequestLimit()
    {
        var socket = new SocketAllowance(Limits, _clock);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(socket.Breaks(new PingRequest(RequestId.None)));
        }

        Assert.Equal(LimitKind.SocketRequests, socket.Breaks(new PingRequest(RequestId.None)));
    }

    [Fact]
    public void User_PublishesCountedOverAllSockets()
    {
        var users = new UserAllowance(Options.Create(Limits), _clock);

        Assert.Null(users.Breaks("alice", Publish));
        Assert.Null(users.Breaks("alice", Publish));
        Assert.Equal(LimitKind.Publishes, users.Breaks("alice", Publish));
        Assert.Null(users.Breaks("bob", Publish));
        Assert.Null(users.Breaks("alice", new PingRequest(RequestId.None)));
    }

    [Fact]
    public void User_JoinsAndLeavesShareOneBudget_RefilledOverTime()
    {
        var users = new UserAllowance(Options.Create(Limits), _clock);
        ClientRequest join = new JoinRequest(RequestId.None, "g");
        ClientRequest leave = new LeaveRequest(RequestId.None, "g");

        Assert.Equal([null, null, null, LimitKind.MembershipChanges], new[] { join, leave, join, leave }.Select(request => users.Breaks("alice", request)));
        Assert.Null(users.Breaks("alice", Publish));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(users.Breaks("alice", leave));
    }

    [Fact]
    public void Socket_RefusedAsOftenAsAllowed_IsToBeClosed()
    {
        var socket = new SocketAllowance(Limits, _clock);

        Assert.Equal([false, true], new[] { socket.RefusedTooOften(), socket.RefusedTooOften() });
    }

    private static PublishRequest Publish => new(RequestId.None, "g", "hi", null);

    private static TypingRequest Typing => new(RequestId.None, "g");
}
