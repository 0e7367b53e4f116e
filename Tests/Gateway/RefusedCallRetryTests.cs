using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Gateway;

/// <summary>The gateway retries each grain call the cluster refused unprocessed, and only that call.</summary>
public sealed class RefusedCallRetryTests
{
    [Fact]
    public async Task LoginWhoseLaterCallIsRefused_SucceedsWithOneSession()
    {
        var refusal = new RefuseOnce(nameof(IUserGrain.GetGroups));
        await using var host = await GatewayHost.StartAsync(services => services.AddSingleton<IIncomingGrainCallFilter>(refusal));
        var username = await host.RegisterAsync();
        await using var socket = await host.ConnectAsync();

        var reply = await socket.OkAsync(new { type = "login", username, password = Chatters.Password });

        Assert.Equal(username, reply.Str("username"));
        Assert.True(refusal.Refused);
        var account = await ReadAccountAsync(host, username);
        Assert.Single(account.Sessions);
    }

    [Fact]
    public async Task RefusedCall_RetriedUntilTheClusterTakesIt()
    {
        var refusal = new RefuseOnce(nameof(IUserGrain.Register));
        await using var host = await GatewayHost.StartAsync(services => services.AddSingleton<IIncomingGrainCallFilter>(refusal));

        var username = await host.RegisterAsync();

        Assert.True(refusal.Refused);
        Assert.Equal(username, (await ReadAccountAsync(host, username)).Username);
    }

    private static async Task<AccountState> ReadAccountAsync(GatewayHost host, string username)
    {
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Chat);
        var state = new GrainState<AccountState>(new AccountState());
        await storage.ReadStateAsync("account", GrainId.Create("user", username.ToLowerInvariant()), state);
        return state.State!;
    }

    /// <summary>
    /// Answers the first call of one method the way a silo that is stopping gracefully answers a call it
    /// will not run: with a <see cref="SiloUnavailableException"/>, before the grain sees it.
    /// </summary>
    private sealed class RefuseOnce(string method) : IIncomingGrainCallFilter
    {
        private int _refused;

        public bool Refused => _refused == 1;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.ImplementationMethod.Name == method && Interlocked.Exchange(ref _refused, 1) == 0)
            {
                throw new SiloUnavailableException("silo is shutting down");
            }

            return context.Invoke();
        }
    }
}
