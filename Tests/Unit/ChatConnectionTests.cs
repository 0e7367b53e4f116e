using System.Net;
using System.Net.WebSockets;
using System.Text;
using OrleansChat.Gateway;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Limits;

namespace OrleansChat.Tests.Unit;

/// <summary>A gateway shutting down closes a socket with 1001 at once, or right after the reply to its request in flight.</summary>
[Trait("Category", "Unit")]
public sealed class ChatConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shutdown_WithNoRequestInFlight_ClosesAtOnce_AndTakesNoMoreRequests()
    {
        using var pair = await SocketPair.OpenAsync();
        using var connection = Connection(pair);

        connection.Shutdown();

        Assert.True(connection.Outbound.IsClosing);
        Assert.False(connection.BeginRequest());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await CloseSeenByClientAsync(pair.Client, expectedText: null));
    }

    [Fact]
    public async Task Shutdown_DuringARequest_ClosesRightAfterItsReply()
    {
        using var pair = await SocketPair.OpenAsync();
        using var connection = Connection(pair);
        Assert.True(connection.BeginRequest());

        connection.Shutdown();
        Assert.False(connection.Outbound.IsClosing);
        connection.Send(Encoding.UTF8.GetBytes("the reply"));
        connection.EndRequest();

        Assert.True(connection.Outbound.IsClosing);
        Assert.False(connection.BeginRequest());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await CloseSeenByClientAsync(pair.Client, expectedText: "the reply"));
    }

    [Fact]
    public async Task Requests_OneAfterAnother_LeaveTheSocketOpen()
    {
        using var pair = await SocketPair.OpenAsync();
        using var connection = Connection(pair);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(connection.BeginRequest());
            connection.EndRequest();
        }

        Assert.False(connection.Outbound.IsClosing);
    }

    private static ChatConnection Connection(SocketPair pair) =>
        new(pair.Server, IPAddress.Loopback, new GatewayOptions(), new LimitsOptions(), OutboundBudget.Unlimited, TimeProvider.System);

    /// <summary>The text frame the client was sent first (when one is expected), then the status of the close frame after it.</summary>
    private static async Task<WebSocketCloseStatus?> CloseSeenByClientAsync(WebSocket client, string? expectedText)
    {
        var buffer = new byte[4096];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        if (expectedText is not null)
        {
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            Assert.Equal(expectedText, Encoding.UTF8.GetString(buffer, 0, result.Count));
            result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        }

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        return client.CloseStatus;
    }
}
