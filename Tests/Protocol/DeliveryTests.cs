using OrleansChat.Client;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class DeliveryTests(GatewayFixture fixture)
{
    [Fact]
    public async Task TwoSocketsOfOneUser_BothReceiveEveryMessage()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 2);
        var ((phone, username), (bob, _), group) = (room[0], room[1], room.Group);
        var (laptop, _) = await fixture.Host.LoggedInAsync(username);
        await using var _l = laptop;

        await bob.PublishAsync(group, "to both devices");

        Assert.Equal("to both devices", (await phone.NextEventAsync("message", group)).Str("text"));
        Assert.Equal("to both devices", (await laptop.NextEventAsync("message", group)).Str("text"));
    }

    [Fact]
    public async Task LeaveOnOneSocket_OtherSocketStopsReceiving()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 2);
        var ((phone, username), (bob, _), group) = (room[0], room[1], room.Group);
        var (laptop, _) = await fixture.Host.LoggedInAsync(username);
        await using var _l = laptop;
        await bob.PublishAsync(group, "first");
        await laptop.NextEventAsync("message", group);

        await phone.OkAsync(new { type = "leave", group });
        await bob.PublishAsync(group, "second");
        await bob.NextFrameAsync(frame => frame.Type() == "message" && frame.Str("text") == "second");

        Assert.DoesNotContain(await laptop.DrainAsync(), frame => frame.Type() == "message");
    }

    [Fact]
    public async Task ConcurrentPublishers_EverySocketSeesEverySeqOnceInOrder()
    {
        const int Publishers = 3;
        const int PerPublisher = 40;
        var group = Unique.Name("g");
        var publishers = new List<ChatSocket>();
        var listeners = new List<ChatSocket>();
        for (var i = 0; i < Publishers; i++)
        {
            var (socket, _) = await fixture.Host.LoggedInAsync();
            await socket.JoinAsync(group);
            publishers.Add(socket);
        }

        for (var i = 0; i < 3; i++)
        {
            var (socket, _) = await fixture.Host.LoggedInAsync();
            await socket.JoinAsync(group);
            listeners.Add(socket);
        }

        await Task.WhenAll(publishers.SelectMany(p => Enumerable.Range(0, PerPublisher).Select(i => p.OkAsync(new { type = "publish", group, text = $"{i}" }))));

        var expected = Enumerable.Range(1, Publishers * PerPublisher).Select(i => (long)i).ToList();
        foreach (var socket in listeners.Concat(publishers))
        {
            var seqs = new List<long>();
            while (seqs.Count < expected.Count)
            {
                seqs.Add((await socket.NextEventAsync("message", group)).GetProperty("seq").GetInt64());
            }

            Assert.Equal(expected, seqs);
            Assert.DoesNotContain(await socket.DrainAsync(), frame => frame.Type() == "message");
        }

        foreach (var socket in publishers.Concat(listeners))
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reconnect_HistoryAfterLastSeenSeq_CatchesUpWithoutGapOrDuplicate()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInAsync();
        var (bob, _) = await fixture.Host.LoggedInAsync();
        await using var _b = bob;
        var group = Unique.Name("g");
        await alice.JoinAsync(group);
        await bob.JoinAsync(group);
        for (var i = 1; i <= 3; i++)
        {
            await bob.PublishAsync(group, $"m{i}");
        }

        long lastSeen = 0;
        while (lastSeen < 3)
        {
            lastSeen = (await alice.NextEventAsync("message", group)).GetProperty("seq").GetInt64();
        }

        await alice.DisposeAsync();
        for (var i = 4; i <= 6; i++)
        {
            await bob.PublishAsync(group, $"m{i}");
        }

        var (again, _) = await fixture.Host.LoggedInAsync(aliceName);
        await using var _a = again;
        var missed = await again.OkAsync(new { type = "history", group, after = lastSeen });
        await bob.PublishAsync(group, "m7");
        var live = await again.NextEventAsync("message", group);

        Assert.Equal(["m4", "m5", "m6"], missed.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
        Assert.Equal(7, live.GetProperty("seq").GetInt64());
        Assert.DoesNotContain(await again.DrainAsync(), frame => frame.Type() == "message");
    }

    [Fact]
    public async Task JoinedSocket_ReceivesOnlyMessagesStoredAfterJoin()
    {
        var (bob, _) = await fixture.Host.LoggedInAsync();
        await using var _b = bob;
        var group = Unique.Name("g");
        await bob.JoinAsync(group);
        await bob.PublishAsync(group, "before");

        var (alice, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        var join = await alice.JoinAsync(group);
        await bob.PublishAsync(group, "after");
        var message = await alice.NextEventAsync("message", group);

        Assert.Equal(1, join.GetProperty("lastSeq").GetInt64());
        Assert.Equal(("after", 2L), (message.Str("text"), message.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task PublishWithoutId_OnlyTheMessageEvent()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "publish", group, text = "quiet" }));
        var message = await socket.NextEventAsync("message", group);

        Assert.Equal("quiet", message.Str("text"));
        Assert.Empty(await socket.DrainAsync());
    }
}
