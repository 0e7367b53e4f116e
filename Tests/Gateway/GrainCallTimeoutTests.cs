using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

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
        await WarmUpAsync(host);
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

    [Fact]
    public async Task LoginWhoseCallTimesOut_NoPasswordInAnyLogLine()
    {
        const string password = "a password for the timeout";
        var hold = new HoldCalls(nameof(IUserGrain.Login));
        var logs = new CapturedLogs();
        await using var host = await GatewayHost.StartAsync(
            services =>
            {
                services.AddSingleton<IIncomingGrainCallFilter>(hold);
                services.AddSingleton<ILoggerProvider>(logs);
            },
            ("Gateway:GrainCallTimeout", "00:00:01"), ("Logging:LogLevel:Default", "Debug"), ("Logging:LogLevel:Orleans.", "Debug"));
        await WarmUpAsync(host);
        var username = await host.RegisterAsync();
        await host.Http.PostAsJsonAsync("/api/password", new { username, password = Chatters.Password, newPassword = password });
        await using var socket = await host.ConnectAsync();

        var timedOut = await socket.RequestAsync(new { type = "login", username, password });
        hold.Release();

        Assert.Equal("unavailable", timedOut.Str("code"));
        Assert.Contains("Login", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, logs.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A fresh host's first grain calls (JIT, first activations, the first Redis writes) can take longer than the
    /// 1 s under test while the whole suite starts on two cores. Registering until one registration answers in time
    /// leaves the held call as the only one that meets the timeout.
    /// </summary>
    private static async Task WarmUpAsync(GatewayHost host)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await host.Http.PostAsJsonAsync("/api/register", new { username = Unique.Name(), password = Chatters.Password });
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 10)
            {
                response.EnsureSuccessStatusCode();
                return;
            }
        }
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
