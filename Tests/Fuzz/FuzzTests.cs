using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansChat.Client;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Fuzz;

/// <summary>
/// Hostile frames against a real gateway: 100,000 random and mutated text frames on one authenticated
/// socket, plus frames that must close a socket (invalid UTF-8, binary, over the size limit) on throwaway
/// ones. The gateway never crashes, every frame with an id gets exactly one reply, and the socket and the
/// server stay usable. The seed is fixed so a failure replays; FUZZ_SEED picks another.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests
{
    private const int TextFrames = 100_000;
    private const int Batch = 1_000;
    private const int MaxFrameBytes = 65_536;

    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 20261203;

    [Fact]
    public async Task HundredThousandHostileFrames_EachIdAnsweredOnce_SocketAndServerStayUsable()
    {
        // Abuse limits stay on except the per-socket request rate and the user's membership-change rate, which
        // would answer most frames rate_limited before the parser saw them (and leave the checks at the end
        // refused); the address's account attempts stay low, so mutated logins cannot turn the run into 100,000
        // password hashes.
        await using var host = await GatewayHost.StartAsync(
            ("Limits:RequestsPerSecond", "1000000"), ("Limits:RequestBurst", "1000000"),
            ("Limits:MembershipChangesPerSecond", "1000000"), ("Limits:MembershipChangeBurst", "1000000"),
            ("Limits:AccountAttemptsPerSecond", "1"), ("Limits:AccountAttemptBurst", "20"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, username) = room[0];
        var token = (await socket.OkAsync(new { type = "login", username, password = Chatters.Password })).Str("token");
        var fuzzer = new FrameFuzzer(Seed, room.Group);
        var expected = new Dictionary<string, int>();
        var answered = new Dictionary<string, int>();

        for (var start = 0; start < TextFrames; start += Batch)
        {
            for (var i = start; i < start + Batch; i++)
            {
                var frame = i % 10_000 == 5 ? FrameFuzzer.OfSize(MaxFrameBytes, $"f{i}", room.Group) : fuzzer.Next(i);
                Expect(expected, frame);
                await socket.SendTextAsync(frame);
            }

            try
            {
                await CollectRepliesUntilAsync(socket, $"sync{start}", answered);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                Assert.Fail($"the server closed the socket ({await socket.ClosedAsync()}) during frames {start} to {start + Batch - 1} (seed {Seed})");
            }
        }

        // Most mutations break the JSON, so far fewer frames than sent still carry an id the server can read.
        Assert.True(expected.Values.Sum() > TextFrames / 4, $"only {expected.Values.Sum()} frames carried an id (seed {Seed})");
        Assert.Equal(Sorted(expected), Sorted(answered));
        Assert.Equal("pong", (await socket.RequestAsync(new { type = "ping" })).Type());
        // Fuzzed frames may have left, or deleted, the socket's group (it owns it): go on in a new one.
        var after = Unique.Name("after");
        await socket.JoinAsync(after);
        await socket.PublishAsync(after, "still here");
        await AssertEveryClosingFrameClosesAsync(host);
        await using var fresh = await host.ConnectAsync();
        await fresh.OkAsync(new { type = "auth", token });
        await fresh.OkAsync(new { type = "history", group = after });
    }

    /// <summary>What the server will answer, read with its own parser: one reply per frame that has an id.</summary>
    private static void Expect(Dictionary<string, int> expected, string frame)
    {
        var request = RequestParser.Parse(Encoding.UTF8.GetBytes(frame));
        if (request.Id.IsPresent)
        {
            var key = request.Id.Value is { } value ? Key(value) : KeyOfRaw(request.Id.RawJson!);
            expected[key] = expected.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Counts the replies that carry an id until the pong of a ping sent now: frames are answered in order.</summary>
    private static async Task CollectRepliesUntilAsync(ChatSocket socket, string marker, Dictionary<string, int> answered)
    {
        await socket.SendTextAsync($$"""{"type":"ping","id":"{{marker}}"}""");
        while (true)
        {
            var frame = await socket.NextFrameAsync();
            if (frame.GetProperty("type").GetString() is not ("ok" or "error" or "pong") || !frame.TryGetProperty("id", out var id))
            {
                continue;
            }

            var key = KeyOfRaw(id.GetRawText());
            if (key == Key(marker))
            {
                return;
            }

            answered[key] = answered.GetValueOrDefault(key) + 1;
        }
    }

    private static async Task AssertEveryClosingFrameClosesAsync(GatewayHost host)
    {
        var random = new Random(Seed);
        var closing = new (WebSocketMessageType Type, Func<byte[]> Payload, WebSocketCloseStatus Status)[]
        {
            (WebSocketMessageType.Text, () => [0x7b, 0xc3, 0x28, 0x7d], WebSocketCloseStatus.InvalidPayloadData),
            (WebSocketMessageType.Text, () => [.. Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"x\":\""), 0xed, 0xa0, 0x80, 0x22, 0x7d], WebSocketCloseStatus.InvalidPayloadData),
            (WebSocketMessageType.Binary, () => RandomBytes(random, 64), WebSocketCloseStatus.InvalidMessageType),
            (WebSocketMessageType.Text, () => Encoding.UTF8.GetBytes(FrameFuzzer.OfSize(MaxFrameBytes + 1, "big", "g")), WebSocketCloseStatus.MessageTooBig),
        };
        for (var i = 0; i < 100; i++)
        {
            var (type, payload, status) = closing[i % closing.Length];
            await using var socket = await host.ConnectAsync();
            await socket.SendAsync(payload(), type);
            Assert.Equal(status, await socket.ClosedAsync());
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string KeyOfRaw(string rawJson)
    {
        using var document = JsonDocument.Parse(rawJson);
        var element = document.RootElement;
        if (element.ValueKind == JsonValueKind.String)
        {
            try
            {
                return Key(element.GetString()!);
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate: no string; compare as sent.
            }
        }

        return "raw:" + rawJson;
    }

    private static string Key(string id) => "id:" + id;

    private static List<KeyValuePair<string, int>> Sorted(Dictionary<string, int> counts) =>
        [.. counts.OrderBy(entry => entry.Key, StringComparer.Ordinal)];
}

/// <summary>The fuzz run keeps both cores busy for a while; alone, it slows no timing-sensitive test down.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz";
}
