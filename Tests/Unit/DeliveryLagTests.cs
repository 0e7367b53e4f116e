using OrleansChat.Gateway.Fanout;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class DeliveryLagTests
{
    private static readonly DateTime Start = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(150);

    [Fact]
    public void OneLateMessage_AmongPromptOnes_DoesNotStand()
    {
        var lag = new DeliveryLag();

        lag.Forwarded(1, Start, Start.AddMilliseconds(400));
        lag.Forwarded(2, Start.AddMilliseconds(395), Start.AddMilliseconds(400));

        Assert.Equal(TimeSpan.FromMilliseconds(5), lag.Standing(Start.AddMilliseconds(400), Window));
    }

    [Fact]
    public void LagOfAWindow_ForgottenOnceTheWindowPassed()
    {
        var lag = new DeliveryLag();
        lag.Forwarded(1, Start, Start.AddMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(100), lag.Standing(Start.AddMilliseconds(200), Window));
        Assert.Equal(TimeSpan.Zero, lag.Standing(Start.AddMilliseconds(251), Window));
    }

    [Fact]
    public void AcknowledgedMessageStillWaiting_CountsItsWaitSoFar()
    {
        var lag = new DeliveryLag();
        lag.Forwarded(1, Start, Start.AddMilliseconds(1));

        lag.Acknowledged(2, Start.AddMilliseconds(10));
        lag.Acknowledged(3, Start.AddMilliseconds(20));

        Assert.Equal(TimeSpan.FromMilliseconds(290), lag.Standing(Start.AddMilliseconds(300), Window));
    }

    [Fact]
    public void AcknowledgedMessage_NoLongerCountsOnceForwarded()
    {
        var lag = new DeliveryLag();
        lag.Acknowledged(1, Start);

        lag.Forwarded(1, Start, Start.AddMilliseconds(3));

        Assert.Equal(TimeSpan.FromMilliseconds(3), lag.Standing(Start.AddMilliseconds(300), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AcknowledgementOfAMessageAlreadyForwarded_IsNotAWait()
    {
        var lag = new DeliveryLag();
        lag.Forwarded(1, Start, Start.AddMilliseconds(2));

        lag.Acknowledged(1, Start.AddMilliseconds(5));

        Assert.Equal(TimeSpan.Zero, lag.Standing(Start.AddSeconds(10), Window));
    }
}
