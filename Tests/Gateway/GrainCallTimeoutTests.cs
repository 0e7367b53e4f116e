using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Gateway;

/// <summary>
/// A grain call that gets no answer within Gateway:GrainCallTimeout ends its request with unavailable, long
/// before a client gives up on it. The grain that does not answer is held by a call filter in the embedded
/// silo; Tests/Cluster has the same with real silo processes stopped by SIGSTOP.
/// </summary>
public sealed class GrainCallTimeoutTests
{
    [Fact]
    public async Task CallWithoutAnAnswer_RequestAnsweredUnavailableWithinTheTimeout_ThenServiceGoesOn()
    {
        var hold = new HoldCalls(nameof(IGroupGrain.GetMembers));
        await using var host = await GatewayHost.StartAsync(
            services => services.AddSingleton<IIncomingGrainCallFilter>(hold), ("Gateway:GrainCallTimeout", "00:00:01"));
        var (socket, _) = await host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");
        await socket.JoinAsync(group);

        var clock = Stopwatch.StartNew();
        var timedOut = await socket.RequestAsync(new { type = "members", group });
        var waited = clock.Elapsed;
        hold.Release();
        var answered = await socket.RequestAsync(new { type = "members", group });

        Assert.Equal(("unavailable", "ok"), (timedOut.Str("code"), answered.Type()));
        Assert.InRange(waited, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    /// <summary>Holds every call of one grain method until released, as a silo that stopped answering would.</summary>
    private sealed class HoldCalls(string method) : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.ImplementationMethod.Name == method)
            {
                await _released.Task;
            }

            await context.Invoke();
        }
    }
}
