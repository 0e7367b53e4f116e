using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansChat.Gateway;
using OrleansChat.Gateway.Limits;

namespace OrleansChat.Tests.Unit;

/// <summary>The request allowance of a socket and the account-attempt limit per address, on a fake clock.</summary>
[Trait("Category", "Unit")]
public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Bucket_AllowsItsBurst_ThenRefillsAtItsRate()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 3, _clock);

        Assert.Equal([true, true, true, false], Take(bucket, 4));
        _clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(bucket.TryTake());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([true, false], Take(bucket, 2));
    }

    [Fact]
    public void Bucket_NeverHoldsMoreThanItsBurst()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 3, _clock);
        Take(bucket, 3);

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.IsFull);
        Assert.Equal([true, true, true, false], Take(bucket, 4));
    }

    [Fact]
    public void AccountAttempts_CountedPerAddress()
    {
        var limiter = Limiter(perSecond: 1, burst: 2);
        var first = IPAddress.Parse("192.0.2.1");
        var second = IPAddress.Parse("192.0.2.2");

        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire(first)));
        Assert.True(limiter.TryAcquire(second));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => limiter.TryAcquire(first)));
    }

    [Fact]
    public void AccountAttempts_AddressesThatStopped_ForgottenOnceManyAreTracked()
    {
        var limiter = Limiter(perSecond: 1, burst: 2);
        for (var i = 0; i < 1024; i++)
        {
            limiter.TryAcquire(new IPAddress(i + 1));
        }

        var recent = IPAddress.Parse("198.51.100.7");
        _clock.Advance(TimeSpan.FromSeconds(2));
        limiter.TryAcquire(recent);
        limiter.TryAcquire(recent);
        limiter.TryAcquire(IPAddress.Parse("198.51.100.8"));

        Assert.Equal(2, limiter.TrackedAddresses);
        Assert.False(limiter.TryAcquire(recent));
    }

    private AccountAttemptLimiter Limiter(int perSecond, int burst) =>
        new(Options.Create(new GatewayOptions { AccountAttemptsPerSecond = perSecond, AccountAttemptBurst = burst }), _clock);

    private static bool[] Take(TokenBucket bucket, int times) => [.. Enumerable.Range(0, times).Select(_ => bucket.TryTake())];
}
