using OrleansChat.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Gateway;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// The real gateway (Kestrel and an embedded silo) in this process, on free loopback ports.
/// Settings are configuration keys, e.g. ("Gateway:AuthenticationTimeout", "00:00:01").
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri httpUri)
    {
        _app = app;
        HttpUri = httpUri;
        Http = new HttpClient { BaseAddress = httpUri };
    }

    public Uri HttpUri { get; }

    public Uri WebSocketUri => new($"ws://{HttpUri.Authority}/ws");

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GatewayHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(_ => { }, settings);

    /// <summary>Starts a gateway with services of the test's added, e.g. grain call filters for its embedded silo.</summary>
    public static async Task<GatewayHost> StartAsync(Action<IServiceCollection> addServices, params (string Key, string Value)[] settings)
    {
        var app = Build(addServices, settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayHost(app, new Uri(address));
    }

    /// <summary>The gateway built with the suite's settings but not started, for tests of what happens at start and stop.</summary>
    public static WebApplication Build(Action<IServiceCollection> addServices, params (string Key, string Value)[] settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={RepositoryPaths.Path("Gateway")}",
            $"--Orleans:Endpoints:SiloPort={FreePort.Next()}",
            $"--Orleans:ClusterId=test-{Guid.NewGuid():N}",
            // Every test user registers (and some fail to log in) from 127.0.0.1, and tests publish faster
            // than people do; tests of these limits set their own.
            "--Limits:AccountAttemptsPerSecond=100000",
            "--Limits:AccountAttemptBurst=100000",
            "--Limits:PublishesPerSecond=100000",
            "--Limits:PublishBurst=100000",
            "--Limits:TypingPerSecond=100000",
            "--Limits:TypingBurst=100000",
            "--Limits:MembershipChangesPerSecond=100000",
            "--Limits:MembershipChangeBurst=100000",
            "--Limits:SignInsPerSecond=100000",
            "--Limits:SignInBurst=100000",
            "--Limits:FreeLoginFailures=100000",
            // The suite's servers share two cores with every other test, where work waiting a second for a
            // thread is normal; tests of the overload refusal set their own bounds.
            "--Gateway:Overload:MaxDeliveryLag=00:01:00",
            "--Gateway:Overload:MaxThreadPoolDelay=00:01:00",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans.=Error",
        };
        args.AddRange(settings.Select(setting => $"--{setting.Key}={setting.Value}"));

        var builder = ChatGatewayApp.CreateBuilder([.. args]);
        addServices(builder.Services);
        return ChatGatewayApp.Build(builder);
    }

    public Task<ChatSocket> ConnectAsync() => ChatSocket.ConnectAsync(WebSocketUri);

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
