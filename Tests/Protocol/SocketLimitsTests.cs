using OrleansChat.Client;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Limits that need a gateway configured for the test: slow consumers, rate limits, shutdown.</summary>
public sealed class SocketLimitsTests
{
    [Fact]
    public async Task ClientThatStopsReading_Closed1013_OthersKeepReceiving()
    {
        const int Messages = 6000;
        await using var host = await GatewayHost.StartAsync(
            ("Gateway:MaxOutboundBytes", "4194304"),
            ("Gateway:CloseTimeout", "00:01:00"),
            ("Gateway:RequestsPerSecond", "100000"),
            ("Gateway:RequestBurst", "100000"));
        var (publisher, _) = await host.LoggedInAsync();
        await using var _p = publisher;
        var group = Unique.Name("g");
        await publisher.JoinAsync(group);
        var slowName = await host.RegisterAsync();
        using var slow = await RawLoggedInSocketAsync(host, slowName, group);

        // Enough text (24 MB) to fill the kernel's socket buffers and then the gateway's 4 MiB bound.
        // Publishes without an id get no reply; the publisher paces itself by its own copy of each
        // chunk's last message, so only the socket that stopped reading falls behind.
        var publish = JsonSerializer.Serialize(new { type = "publish", group, text = new string('x', 4000) });
        for (var sent = 0; sent < Messages;)
        {
            for (var i = 0; i < 400; i++, sent++)
            {
                await publisher.SendTextAsync(publish);
            }

            await publisher.NextFrameAsync(frame => frame.Type() == "message" && frame.GetProperty("seq").GetInt64() == sent);
        }

        Assert.Equal((WebSocketCloseStatus)1013, await ReadUntilCloseAsync(slow));
    }

    [Fact]
    public async Task RequestsBeyondTheBucket_RateLimited()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:RequestsPerSecond", "1"), ("Gateway:RequestBurst", "3"));
        await using var socket = await host.ConnectAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => socket.RequestAsync(new { type = "ping" })));

        Assert.InRange(replies.Count(r => r.Type() == "pong"), 3, 4);
        Assert.All(replies.Where(r => r.Type() != "pong"), r => Assert.Equal("rate_limited", r.Str("code")));
    }

    [Fact]
    public async Task RateLimitedSocket_IsServedAgainOnceTheBucketRefills()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:RequestsPerSecond", "2"), ("Gateway:RequestBurst", "2"));
        await using var socket = await host.ConnectAsync();
        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => socket.RequestAsync(new { type = "ping" })));
        Assert.Contains(burst, r => r.Type() == "error" && r.Str("code") == "rate_limited");

        await Eventually.TrueAsync(async () => (await socket.RequestAsync(new { type = "ping" })).Type() == "pong", "the bucket refills");
    }

    [Fact]
    public async Task RegistrationsAndLoginsBeyondTheAddressBucket_RateLimited()
    {
        // No refill at all, so a slow password hash cannot let a third attempt through.
        await using var host = await GatewayHost.StartAsync(("Gateway:AccountAttemptsPerSecond", "0"), ("Gateway:AccountAttemptBurst", "2"));
        var credentials = new { username = Unique.Name(), password = Chatters.Password };

        var registered = await host.Http.PostAsJsonAsync("/api/register", credentials);
        var loggedIn = await host.Http.PostAsJsonAsync("/api/login", credentials);
        var refused = await host.Http.PostAsJsonAsync("/api/login", credentials);
        await using var socket = await host.ConnectAsync();
        var refusedOnSocket = await socket.RequestAsync(new { type = "login", credentials.username, credentials.password });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (registered.StatusCode, loggedIn.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).Str("code"));
        Assert.Equal("rate_limited", refusedOnSocket.Str("code"));
    }

    [Fact]
    public async Task Shutdown_ClosesSockets1001()
    {
        var host = await GatewayHost.StartAsync();
        var (socket, _) = await host.LoggedInAsync();
        await using var _s = socket;
        var anonymous = await host.ConnectAsync();
        await using var _a = anonymous;

        var stopping = host.DisposeAsync().AsTask();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.ClosedAsync());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await anonymous.ClosedAsync());
        await stopping.WaitAsync(ChatSocketTestExtensions.Timeout);
    }

    private static async Task<ClientWebSocket> RawLoggedInSocketAsync(GatewayHost host, string username, string group)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(host.WebSocketUri, CancellationToken.None);
        await RawRequestAsync(socket, new { type = "login", id = "1", username, password = Chatters.Password });
        await RawRequestAsync(socket, new { type = "join", id = "2", group });
        return socket;
    }

    private static async Task RawRequestAsync(ClientWebSocket socket, object request)
    {
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(ChatSocketTestExtensions.Timeout);
        Assert.Contains("\"ok\"", Encoding.UTF8.GetString(buffer, 0, result.Count), StringComparison.Ordinal);
    }

    private static async Task<WebSocketCloseStatus?> ReadUntilCloseAsync(ClientWebSocket socket)
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
