using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace OrleansChat.Tests.Unit;

/// <summary>
/// Two ends of one WebSocket over a real loopback TCP connection, without an HTTP server in between.
/// Small socket buffers let a test make the server's sends wait on a client that does not read.
/// </summary>
internal sealed class SocketPair : IDisposable
{
    private readonly TcpClient _client;
    private readonly TcpClient _server;

    private SocketPair(TcpClient client, TcpClient server)
    {
        _client = client;
        _server = server;
        Client = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        Server = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Client { get; }

    public WebSocket Server { get; }

    public static async Task<SocketPair> OpenAsync(int bufferBytes = 0)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        if (bufferBytes > 0)
        {
            client.ReceiveBufferSize = bufferBytes;
        }

        var accepted = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accepted;
        if (bufferBytes > 0)
        {
            server.SendBufferSize = bufferBytes;
        }

        return new SocketPair(client, server);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        _client.Dispose();
        _server.Dispose();
    }
}
