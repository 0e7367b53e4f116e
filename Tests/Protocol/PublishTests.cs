using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class PublishTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Publish_OkAndEventForPublisherAndOthers()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 2);
        var ((alice, aliceName), (bob, _), group) = (room[0], room[1], room.Group);

        var ok = await alice.OkAsync(new { type = "publish", group, text = "hello <b>world</b> ✓" });
        var own = await alice.NextEventAsync("message", group);
        var received = await bob.NextEventAsync("message", group);

        Assert.Equal(group, ok.Str("group"));
        Assert.Equal(1, ok.GetProperty("seq").GetInt64());
        Assert.Matches(HttpEndpointTests.TimestampFormat(), ok.Str("ts"));
        foreach (var message in new[] { own, received })
        {
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            Assert.Equal(aliceName, message.Str("from"));
            Assert.Equal("hello <b>world</b> ✓", message.Str("text"));
            Assert.Equal(ok.Str("ts"), message.Str("ts"));
            Assert.Equal(JsonValueKind.Null, message.GetProperty("clientMsgId").ValueKind);
        }
    }

    [Fact]
    public async Task PipelinedPublishes_IncreasingSeqInSendOrder()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        var replies = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => socket.OkAsync(new { type = "publish", group, text = $"m{i}" })));

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), replies.Select(reply => reply.GetProperty("seq").GetInt64()));
        var history = await socket.OkAsync(new { type = "history", group, after = 0, limit = 100 });
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"m{i}"), history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }

    [Fact]
    public async Task RepeatedClientMsgId_StoredOnceAndOkCarriesFirstSeqAndTs()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        var first = await socket.OkAsync(new { type = "publish", group, text = "original", clientMsgId = "c-1" });
        await socket.PublishAsync(group, "in between");
        var retry = await socket.OkAsync(new { type = "publish", group, text = "different text", clientMsgId = "c-1" });

        Assert.Equal(first.GetProperty("seq").GetInt64(), retry.GetProperty("seq").GetInt64());
        Assert.Equal(first.Str("ts"), retry.Str("ts"));
        var history = await socket.OkAsync(new { type = "history", group });
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("c-1", messages[0].Str("clientMsgId"));
    }

    [Fact]
    public async Task SameClientMsgIdFromAnotherUser_StoredSeparately()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 2);
        var ((alice, _), (bob, _), group) = (room[0], room[1], room.Group);

        var fromAlice = await alice.OkAsync(new { type = "publish", group, text = "a", clientMsgId = "same" });
        var fromBob = await bob.OkAsync(new { type = "publish", group, text = "b", clientMsgId = "same" });

        Assert.NotEqual(fromAlice.GetProperty("seq").GetInt64(), fromBob.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task TextOf4000CodePointsIncludingEmoji_Accepted_4001_TooLarge()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);
        var emoji = string.Concat(Enumerable.Repeat("😀", 4000));

        await socket.OkAsync(new { type = "publish", group, text = emoji });
        var tooLong = await socket.RequestAsync(new { type = "publish", group, text = emoji + "x" });

        Assert.Equal("too_large", tooLong.Str("code"));
    }

    [Theory]
    [InlineData("""{"type":"publish","id":"p","group":"GROUP","text":""}""")]
    [InlineData("""{"type":"publish","id":"p","group":"GROUP"}""")]
    [InlineData("""{"type":"publish","id":"p","group":"GROUP","text":"hi","clientMsgId":""}""")]
    [InlineData("""{"type":"publish","id":"p","group":"GROUP","text":"hi","clientMsgId":5}""")]
    public async Task InvalidPublish_BadRequest(string frame)
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        await socket.SendTextAsync(frame.Replace("GROUP", group, StringComparison.Ordinal));
        var reply = await socket.NextFrameAsync(frame => frame.Type() == "error");

        Assert.Equal("bad_request", reply.Str("code"));
        Assert.Equal("p", reply.Str("id"));
    }
}
