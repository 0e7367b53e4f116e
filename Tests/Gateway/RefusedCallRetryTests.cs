using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Gateway;

/// <summary>
/// The gateway retries each grain call the cluster refused unprocessed, and only that call. The refusals
/// come from a grain call filter in the embedded silo that answers the way a silo that is stopping
/// gracefully answers a call it will not run: with a <see cref="SiloUnavailableException"/>, before the
/// grain sees it.
/// </summary>
public sealed class RefusedCallRetryTests
{
    [Fact]
    public async Task LoginWhoseLaterCallIsRefused_SucceedsWithOneSession()
    {
        var refusal = new FailFirstCall(nameof(IUserGrain.GetGroups), () => new SiloUnavailableException("silo is shutting down"));
        await using var host = await StartAsync(refusal);
        var username = await host.RegisterAsync();
        await using var socket = await host.ConnectAsync();

        var reply = await socket.OkAsync(new { type = "login", username, password = Chatters.Password });

        Assert.Equal(username, reply.Str("username"));
        Assert.Equal(2, refusal.Calls);
        Assert.Single((await StoredAccounts.ReadAsync(host.Services, username)).Sessions);
    }

    [Fact]
    public async Task RefusedCall_RetriedUntilTheClusterTakesIt()
    {
        var refusal = new FailFirstCall(nameof(IUserGrain.Register), () => new ConnectionFailedException("unable to connect"));
        await using var host = await StartAsync(refusal);

        var username = await host.RegisterAsync();

        Assert.Equal(2, refusal.Calls);
        Assert.Equal(username, (await StoredAccounts.ReadAsync(host.Services, username)).Username);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("timeout")]
    public async Task FailureOfACallThatRan_NotRetried(string failure)
    {
        var failing = new FailFirstCall(nameof(IGroupGrain.GetMembers), () => failure == "chat"
            ? new ChatException(ChatErrorCode.Forbidden, "not a member")
            : new TimeoutException("no response"));
        await using var host = await StartAsync(failing);
        var (socket, _) = await host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");
        await socket.JoinAsync(group);

        var reply = await socket.RequestAsync(new { type = "members", group });

        Assert.Equal(failure == "chat" ? "forbidden" : "unavailable", reply.Str("code"));
        Assert.Equal(1, failing.Calls);
    }

    [Fact]
    public async Task RefusalOfACallInsideAGrain_AnsweredUnavailable_OuterCallNotRepeated()
    {
        var refusal = new FailFirstCall(nameof(IGroupGrain.Join), () => new SiloUnavailableException("silo is shutting down"));
        var joins = new FailFirstCall(nameof(IUserGrain.JoinGroup), failure: null);
        await using var host = await StartAsync(joins, refusal);
        var (socket, _) = await host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");

        var refused = await socket.RequestAsync(new { type = "join", group });
        await socket.JoinAsync(group);

        Assert.Equal("unavailable", refused.Str("code"));
        Assert.Equal(2, joins.Calls);
    }

    private static Task<GatewayHost> StartAsync(params FailFirstCall[] filters) =>
        GatewayHost.StartAsync(services =>
        {
            foreach (var filter in filters)
            {
                services.AddSingleton<IIncomingGrainCallFilter>(filter);
            }
        });

    /// <summary>Counts the calls of one grain method and fails the first with the given exception (none: only counts).</summary>
    private sealed class FailFirstCall(string method, Func<Exception>? failure) : IIncomingGrainCallFilter
    {
        private int _calls;

        public int Calls => _calls;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.ImplementationMethod.Name == method && Interlocked.Increment(ref _calls) == 1 && failure is not null)
            {
                throw failure();
            }

            return context.Invoke();
        }
    }
}
