using OrleansChat.Limits;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class FailureBackoffTests
{
    private static readonly DateTime Start = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly FailureBackoff _backoff = new(freeFailures: 2, firstWait: TimeSpan.FromSeconds(1), longestWait: TimeSpan.FromSeconds(10));

    [Fact]
    public void FreeFailures_CostNothing_TheNextOnesDoubleTheWait()
    {
        _backoff.Failed(Start);
        _backoff.Failed(Start);
        Assert.Equal(TimeSpan.Zero, _backoff.WaitAt(Start));

        _backoff.Failed(Start);
        Assert.Equal(TimeSpan.FromSeconds(1), _backoff.WaitAt(Start));
        _backoff.Failed(Start + TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), _backoff.WaitAt(Start + TimeSpan.FromSeconds(1)));
        _backoff.Failed(Start + TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(4), _backoff.WaitAt(Start + TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Wait_NeverLongerThanTheLongest()
    {
        for (var i = 0; i < 40; i++)
        {
            _backoff.Failed(Start);
        }

        Assert.Equal(TimeSpan.FromSeconds(10), _backoff.WaitAt(Start));
    }

    [Fact]
    public void Success_ForgetsTheFailures()
    {
        for (var i = 0; i < 5; i++)
        {
            _backoff.Failed(Start);
        }

        _backoff.Succeeded();

        Assert.Equal(TimeSpan.Zero, _backoff.WaitAt(Start));
        Assert.True(_backoff.IsForgottenAt(Start));
        _backoff.Failed(Start);
        Assert.Equal(TimeSpan.Zero, _backoff.WaitAt(Start));
    }

    [Fact]
    public void QuietSpellAsLongAsTheLongestWait_ForgetsTheFailures()
    {
        for (var i = 0; i < 5; i++)
        {
            _backoff.Failed(Start);
        }

        var later = Start + TimeSpan.FromSeconds(10);
        Assert.True(_backoff.IsForgottenAt(later));
        _backoff.Failed(later);
        Assert.Equal(TimeSpan.Zero, _backoff.WaitAt(later));
    }
}
