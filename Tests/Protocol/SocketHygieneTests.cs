using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Who may open a socket (the origin check), and how sockets that stopped answering are reaped.</summary>
public sealed class SocketHygieneTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("own", true)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://127.0.0.1:1", false)]
    public async Task ByDefault_OnlyPagesOfThisServer_MayOpenASocket(string? origin, bool allowed)
    {
        await using var host = await GatewayHost.StartAsync();

        var status = await UpgradeStatusAsync(host, origin == "own" ? $"http://{host.HttpUri.Authority}" : origin);

        Assert.Equal(allowed ? HttpStatusCode.SwitchingProtocols : HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task ConfiguredOrigins_ReplaceTheDefault()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:AllowedOrigins:0", "https://chat.example.com"));

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, "https://chat.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeStatusAsync(host, $"http://{host.HttpUri.Authority}"));
    }

    [Fact]
    public async Task SocketThatStopsAnsweringPings_Dropped_UserGoesOffline()
    {
        // The timeout leaves room for the login and join on a loaded machine (0.5 s once dropped the socket
        // during its login under the whole suite); the silent socket is still dropped within seconds.
        await using var host = await GatewayHost.StartAsync(
            ("Gateway:KeepAliveInterval", "00:00:00.200"), ("Gateway:KeepAliveTimeout", "00:00:02"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (watcher, _) = room[0];
        var silentName = await host.RegisterAsync();

        // A client socket answers pings only while it reads; this one stops reading after joining.
        using var silent = await RawSockets.LoggedInAsync(host, silentName, room.Group);
        await watcher.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("user") == silentName && frame.Str("status") == "joined");

        var offline = await watcher.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("user") == silentName && frame.Str("status") == "offline");

        Assert.Equal(room.Group, offline.Str("group"));
    }

    [Fact]
    public async Task BinaryFrame_Closed1003_AndTheSocketIsReleasedAtOnce()
    {
        // A close timeout far beyond the test's wait: only a prompt close handshake releases the socket in time.
        await using var host = await GatewayHost.StartAsync(("Gateway:CloseTimeout", "00:05:00"));
        var registry = host.Services.GetRequiredService<ConnectionRegistry>();
        await using var socket = await host.ConnectAsync();

        await socket.SendAsync(new byte[4096], WebSocketMessageType.Binary);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await socket.ClosedAsync());
        await Eventually.TrueAsync(() => Task.FromResult(registry.Count == 0), "the gateway released the socket");
    }

    private static async Task<HttpStatusCode> UpgradeStatusAsync(GatewayHost host, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(host.WebSocketUri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }
}
