using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansChat.Errors;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Limits;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class AccountAttemptLimiterTests : IDisposable
{
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.2");
    private readonly FakeTimeProvider _clock = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void Attempts_CountedPerAddress_AndRefilledOverTime()
    {
        var limiter = Limiter(new LimitsOptions { AccountAttemptsPerSecond = 1, AccountAttemptBurst = 2 });

        Assert.Equal([true, true, false], Allowed(limiter, First, 3));
        Assert.True(Allowed(limiter, Second, 1)[0]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([true, false], Allowed(limiter, First, 2));
    }

    [Fact]
    public void FailuresFromAnAddress_BackOffExponentially_ASuccessDoesNotReset()
    {
        var limiter = Limiter(new LimitsOptions { FreeLoginFailures = 1, LoginBackoff = TimeSpan.FromSeconds(2) });

        limiter.Failed(First);
        Assert.Null(limiter.Refusal(First));
        limiter.Failed(First);

        var refusal = limiter.Refusal(First);
        Assert.Equal(ChatErrorCode.RateLimited, refusal?.Code);
        Assert.Equal("too many failed attempts; retry in 2 s", refusal?.Message);
        Assert.Null(limiter.Refusal(Second));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(limiter.Refusal(First));
        limiter.Failed(First);
        Assert.NotNull(limiter.Refusal(First));
    }

    [Fact]
    public void AddressesThatWentQuiet_ForgottenOnceManyAreTracked()
    {
        var limiter = Limiter(new LimitsOptions { AccountAttemptsPerSecond = 1, AccountAttemptBurst = 2 });
        for (var i = 0; i < 1024; i++)
        {
            limiter.Refusal(new IPAddress(i + 1));
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        Allowed(limiter, First, 2);
        limiter.Refusal(Second);

        Assert.Equal(2, limiter.TrackedAddresses);
        Assert.False(Allowed(limiter, First, 1)[0]);
    }

    [Fact]
    public void LimitsDisabled_NothingRefused()
    {
        var limiter = Limiter(new LimitsOptions { Enabled = false, AccountAttemptsPerSecond = 0, AccountAttemptBurst = 1, FreeLoginFailures = 0 });
        limiter.Failed(First);

        Assert.All(Allowed(limiter, First, 10), Assert.True);
    }

    public void Dispose() => _services.Dispose();

    private AccountAttemptLimiter Limiter(LimitsOptions limits) =>
        new(Options.Create(limits), _clock, new GatewayMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

    private static bool[] Allowed(AccountAttemptLimiter limiter, IPAddress address, int times) =>
        [.. Enumerable.Range(0, times).Select(_ => limiter.Refusal(address) is null)];
}
