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
    public async Task ClientThatStopsReading_Closed1013_OthersKeepReceiving_ItCatchesUpAfterReconnecting()
    {
        const int Messages = 6000;
        await using var host = await GatewayHost.StartAsync(
            ("Gateway:MaxOutboundBytes", "4194304"),
            ("Gateway:CloseTimeout", "00:01:00"),
            ("Limits:RequestsPerSecond", "100000"),
            ("Limits:RequestBurst", "100000"));
        var (publisher, _) = await host.LoggedInAsync();
        await using var _p = publisher;
        var group = Unique.Name("g");
        await publisher.JoinAsync(group);
        var (reader, _) = await host.LoggedInAsync();
        await using var _r = reader;
        await reader.JoinAsync(group);
        var slowName = await host.RegisterAsync();
        using var slow = await RawSockets.LoggedInAsync(host, slowName, group);
        var readerGotAll = ReceiveSeqsAsync(reader, group, Messages);

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

        Assert.Equal((WebSocketCloseStatus)1013, await RawSockets.ReadUntilCloseAsync(slow));
        await readerGotAll;

        // Reconnected, the slow client reads what it missed from history.
        var (again, _) = await host.LoggedInAsync(slowName);
        await using var _a = again;
        var missed = await again.OkAsync(new { type = "history", group, after = Messages - 5 });
        Assert.Equal(Enumerable.Range(Messages - 4, 5), missed.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt32()));
    }

    /// <summary>Reads a fast socket's messages as they come, checking that each seq arrives once and in order.</summary>
    private static async Task ReceiveSeqsAsync(ChatSocket socket, string group, int count)
    {
        for (var expected = 1; expected <= count; expected++)
        {
            var message = await socket.NextEventAsync("message", group);
            Assert.Equal(expected, message.GetProperty("seq").GetInt32());
        }
    }

    [Fact]
    public async Task RequestsBeyondTheBucket_RateLimited()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:RequestsPerSecond", "1"), ("Limits:RequestBurst", "3"));
        await using var socket = await host.ConnectAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => socket.RequestAsync(new { type = "ping" })));

        Assert.InRange(replies.Count(r => r.Type() == "pong"), 3, 4);
        Assert.All(replies.Where(r => r.Type() != "pong"), r => Assert.Equal("rate_limited", r.Str("code")));
    }

    [Fact]
    public async Task RateLimitedSocket_IsServedAgainOnceTheBucketRefills()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:RequestsPerSecond", "2"), ("Limits:RequestBurst", "2"));
        await using var socket = await host.ConnectAsync();
        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => socket.RequestAsync(new { type = "ping" })));
        Assert.Contains(burst, r => r.Type() == "error" && r.Str("code") == "rate_limited");

        await Eventually.TrueAsync(async () => (await socket.RequestAsync(new { type = "ping" })).Type() == "pong", "the bucket refills");
    }

    [Fact]
    public async Task RegistrationsAndLoginsBeyondTheAddressBucket_RateLimited()
    {
        // No refill at all, so a slow password hash cannot let a third attempt through.
        await using var host = await GatewayHost.StartAsync(("Limits:AccountAttemptsPerSecond", "0"), ("Limits:AccountAttemptBurst", "2"));
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
}
