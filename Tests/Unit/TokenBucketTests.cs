using Microsoft.Extensions.Time.Testing;
using OrleansChat.Gateway.Limits;

namespace OrleansChat.Tests.Unit;

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
    public void HasToken_TellsWithoutTaking()
    {
        var bucket = new TokenBucket(perSecond: 1, burst: 1, _clock);

        Assert.Equal([true, true, true, false], new[] { bucket.HasToken, bucket.HasToken, bucket.TryTake(), bucket.HasToken });
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.HasToken);
    }

    private static bool[] Take(TokenBucket bucket, int times) => [.. Enumerable.Range(0, times).Select(_ => bucket.TryTake())];
}
