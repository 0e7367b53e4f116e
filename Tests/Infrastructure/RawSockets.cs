using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// Plain <see cref="ClientWebSocket"/>s for tests of clients that misbehave (stop reading, never answer a
/// ping): unlike ChatSocket they read only when the test says so.
/// </summary>
public static class RawSockets
{
    public static async Task<ClientWebSocket> LoggedInAsync(GatewayHost host, string username, string group)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(host.WebSocketUri, CancellationToken.None);
        await RequestAsync(socket, new { type = "login", id = "1", username, password = Chatters.Password });
        await RequestAsync(socket, new { type = "join", id = "2", group });
        return socket;
    }

    /// <summary>
    /// A socket authenticated with the token whose TCP receive buffer is small, so that the kernel holds
    /// little of what the server sends it once it stops reading and the rest waits in the gateway.
    /// </summary>
    public static async Task<ClientWebSocket> AuthenticatedWithSmallBufferAsync(GatewayHost host, string token)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(host.WebSocketUri, new HttpMessageInvoker(handler), CancellationToken.None);
        await RequestAsync(socket, new { type = "auth", id = "1", token });
        return socket;
    }

    /// <summary>Sends a request and reads one frame, which must be its ok.</summary>
    public static async Task RequestAsync(ClientWebSocket socket, object request)
    {
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(ChatSocketTestExtensions.Timeout);
        Assert.Contains("\"ok\"", Encoding.UTF8.GetString(buffer, 0, result.Count), StringComparison.Ordinal);
    }

    public static async Task<WebSocketCloseStatus?> ReadUntilCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 16];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(ChatSocketTestExtensions.Timeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }
}
