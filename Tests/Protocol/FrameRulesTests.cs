using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class FrameRulesTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("""{"type":"dance","id":"x"}""")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("""{"type":"join","id":"x"}""")]
    [InlineData("""{"type":"register","id":"x","username":"ok_name","password":7}""")]
    public async Task BadFrame_BadRequestAndSocketStaysUsable(string frame)
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendTextAsync(frame);
        var reply = await socket.NextFrameAsync();

        Assert.Equal("error", reply.Type());
        Assert.Equal("bad_request", reply.Str("code"));
        Assert.Equal("pong", (await socket.RequestAsync(new { type = "ping" })).Type());
    }

    [Fact]
    public async Task UnknownTypeWithId_ErrorEchoesId()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        var reply = await socket.RequestAsync(new { type = "fly" });

        Assert.Equal("error", reply.Type());
        Assert.Equal("bad_request", reply.Str("code"));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"0123456789012345678901234567890123456789012345678901234567890123456789\"")]
    public async Task InvalidId_BadRequestEchoingIdAsSent(string id)
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendTextAsync($$"""{"type":"ping","id":{{id}}}""");
        var reply = await socket.NextFrameAsync();

        Assert.Equal("error", reply.Type());
        Assert.Equal("bad_request", reply.Str("code"));
        Assert.Equal(JsonDocument.Parse(id).RootElement.GetRawText(), reply.GetProperty("id").GetRawText());
    }

    [Fact]
    public async Task PingWithoutId_StillGetsPong()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendTextAsync("""{"type":"ping"}""");
        var reply = await socket.NextFrameAsync();

        Assert.Equal("pong", reply.Type());
        Assert.False(reply.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task SuccessfulRequestWithoutId_NoReply_FailedOne_ErrorReply()
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");

        await socket.SendTextAsync($$"""{"type":"join","group":"{{group}}"}""");
        await socket.SendTextAsync("""{"type":"leave","group":"no-such-group-here"}""");
        var frames = await socket.DrainAsync();

        var only = Assert.Single(frames);
        Assert.Equal("error", only.Type());
        Assert.Equal("not_found", only.Str("code"));
        Assert.False(only.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task RequestBeforeAuthentication_Unauthorized()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        foreach (var request in new object[]
        {
            new { type = "join", group = "g" },
            new { type = "publish", group = "g", text = "hi" },
            new { type = "groups" },
            new { type = "history", group = "g" },
            new { type = "members", group = "g" },
            new { type = "typing", group = "g" },
            new { type = "leave", group = "g" },
        })
        {
            var reply = await socket.RequestAsync(request);
            Assert.Equal("unauthorized", reply.Str("code"));
        }
    }

    [Fact]
    public async Task RegisterAndPingBeforeAuthentication_Allowed()
    {
        await using var socket = await fixture.Host.ConnectAsync();
        var username = Unique.Name("wsreg");

        var reply = await socket.OkAsync(new { type = "register", username, password = Chatters.Password });

        Assert.Equal(username, reply.Str("username"));
        Assert.Equal(username.ToLowerInvariant(), reply.Str("userId"));
        Assert.Equal("pong", (await socket.RequestAsync(new { type = "ping" })).Type());
    }

    [Fact]
    public async Task BinaryFrame_Closes1003()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendAsync([1, 2, 3], WebSocketMessageType.Binary);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await socket.ClosedAsync());
    }

    [Fact]
    public async Task FrameOver64KiB_Closes1009()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendTextAsync(PaddedPing(65_537));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await socket.ClosedAsync());
    }

    [Fact]
    public async Task FrameOfExactly64KiB_Answered()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendTextAsync(PaddedPing(65_536));

        Assert.Equal("pong", (await socket.NextFrameAsync()).Type());
    }

    [Fact]
    public async Task InvalidUtf8_Closes1007()
    {
        await using var socket = await fixture.Host.ConnectAsync();

        await socket.SendAsync([(byte)'{', 0xC3, 0x28, (byte)'}'], WebSocketMessageType.Text);

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await socket.ClosedAsync());
    }

    [Fact]
    public async Task TextTooLong_TooLarge()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        var reply = await socket.RequestAsync(new { type = "publish", group, text = new string('x', 4001) });

        Assert.Equal("too_large", reply.Str("code"));
    }

    /// <summary>A ping frame of exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string PaddedPing(int bytes)
    {
        const string Start = """{"type":"ping","pad":" """;
        const string End = "\"}";
        var frame = Start + new string('p', bytes - Start.Length - End.Length) + End;
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(frame));
        return frame;
    }
}
