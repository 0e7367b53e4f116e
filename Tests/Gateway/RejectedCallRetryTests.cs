using OrleansChat.Errors;
using OrleansChat.Gateway.Requests;
using Orleans.Runtime.Messaging;

namespace OrleansChat.Tests.Gateway;

public sealed class RejectedCallRetryTests
{
    [Fact]
    public async Task CallsTheClusterRefused_AreRetriedUntilOneSucceeds()
    {
        var attempts = 0;

        var result = await RejectedCallRetry.RunAsync(() => ++attempts switch
        {
            1 => throw new SiloUnavailableException("silo is shutting down"),
            2 => throw new ConnectionFailedException("unable to connect"),
            _ => Task.FromResult("stored"),
        });

        Assert.Equal("stored", result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task FailuresAfterAGrainRan_AreNotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<ChatException>(() => RejectedCallRetry.RunAsync<string>(() =>
        {
            attempts++;
            throw new ChatException(ChatErrorCode.Forbidden, "not a member");
        }));
        await Assert.ThrowsAsync<TimeoutException>(() => RejectedCallRetry.RunAsync<string>(() =>
        {
            attempts++;
            throw new TimeoutException("no response");
        }));

        Assert.Equal(2, attempts);
    }
}
