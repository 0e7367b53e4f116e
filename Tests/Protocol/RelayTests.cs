using OrleansChat.Client;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>
/// The gateway's group relays: one stream subscription per group however many sockets follow it, and
/// messages the stream lost reach the sockets from history, once each and in order.
/// </summary>
public sealed class RelayTests
{
    [Fact]
    public async Task ManySocketsInAGroup_OneSubscription_DroppedWhenTheLastLeaves()
    {
        await using var host = await GatewayHost.StartAsync();
        var group = Unique.Name("g");
        var sockets = new List<ChatSocket>();
        for (var i = 0; i < 3; i++)
        {
            var (socket, _) = await host.LoggedInAsync();
            await socket.JoinAsync(group);
            sockets.Add(socket);
        }

        Assert.Single(await SubscriptionsAsync(host, group));

        foreach (var socket in sockets)
        {
            await socket.OkAsync(new { type = "leave", group });
            await socket.DisposeAsync();
        }

        await Eventually.TrueAsync(async () => (await SubscriptionsAsync(host, group)).Count == 0, "the relay unsubscribed");
    }

    [Fact]
    public async Task Gauges_CountOpenSocketsAndRelayedGroups_BackToZeroWhenTheyClose()
    {
        await using var host = await GatewayHost.StartAsync();
        using var metrics = new MetricRecorder(host);
        var (socket, _) = await host.LoggedInAsync();
        await socket.JoinAsync(Unique.Name("g"));
        await socket.JoinAsync(Unique.Name("g"));

        Assert.Equal((1, 2), (metrics.Current("orleanschat.sockets.open"), metrics.Current("orleanschat.groups.relayed")));
        await socket.DisposeAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(metrics.Current("orleanschat.sockets.open") == 0 && metrics.Current("orleanschat.groups.relayed") == 0),
            "the socket and its relays are gone");
    }

    [Fact]
    public async Task JoinAndLeave_FollowTableAnswersBothWays()
    {
        await using var host = await GatewayHost.StartAsync();
        var follows = host.Services.GetRequiredService<FollowTable>();
        var (socket, username) = await host.LoggedInAsync();
        var connection = Assert.Single(host.Services.GetRequiredService<ConnectionRegistry>().OfUser(username.ToLowerInvariant()));
        var group = Unique.Name("g");

        await socket.JoinAsync(group);
        Assert.Equal([group], follows.GroupsOf(connection));
        Assert.Equal([connection], follows.ReceiversOf(group).Select(receiver => receiver.Socket));

        await socket.OkAsync(new { type = "leave", group });
        Assert.Empty(follows.GroupsOf(connection));
        Assert.Empty(follows.ReceiversOf(group));
    }

    /// <summary>
    /// A kick's event that reaches the relay only after the user joined again (forced here by handing the relay's
    /// removal to the follow table late): the user's sockets are dropped, then follow again from where they were.
    /// </summary>
    [Fact]
    public async Task RemovalSeenAfterARejoin_TheSocketFollowsAgain_WithoutMissingAMessage()
    {
        await using var host = await GatewayHost.StartAsync();
        var follows = host.Services.GetRequiredService<FollowTable>();
        var (group, ann, bob, bobName) = await host.OwnerAndMemberAsync();
        await using var _a = ann;
        await using var _b = bob;
        await ann.PublishAsync(group, "before");
        await bob.NextEventAsync("message", group);

        var connection = Assert.Single(host.Services.GetRequiredService<ConnectionRegistry>().OfUser(bobName.ToLowerInvariant()));
        follows.UnfollowRemovedUser(group, bobName.ToLowerInvariant(), lastForwarded: 1);
        var droppedAtOnce = follows.GroupsOf(connection);
        await ann.PublishAsync(group, "while the group is asked");

        Assert.Empty(droppedAtOnce);
        Assert.Equal((2L, "while the group is asked"), await NextMessageAsync(bob, group));
        Assert.Equal([group], follows.GroupsOf(connection));
    }

    [Fact]
    public async Task RemovalOfAUserNoLongerAMember_EndsTheirFollow()
    {
        await using var host = await GatewayHost.StartAsync();
        var follows = host.Services.GetRequiredService<FollowTable>();
        var (group, ann, bob, bobName) = await host.OwnerAndMemberAsync();
        await using var _a = ann;
        await using var _b = bob;
        var connection = Assert.Single(host.Services.GetRequiredService<ConnectionRegistry>().OfUser(bobName.ToLowerInvariant()));

        await ann.OkAsync(new { type = "kick", group, user = bobName });
        await ann.PublishAsync(group, "after the kick");
        await ann.NextEventAsync("message", group);

        Assert.Empty(follows.GroupsOf(connection));
        Assert.DoesNotContain(await bob.DrainAsync(), frame => frame.Type() == "message");
    }

    private static async Task<(long Seq, string Text)> NextMessageAsync(ChatSocket socket, string group)
    {
        var message = await socket.NextEventAsync("message", group);
        return (message.GetProperty("seq").GetInt64(), message.Str("text"));
    }

    [Fact]
    public async Task GroupLargerThanTheRelayWritesItself_EverySocketGetsEveryEventOnceInOrder()
    {
        // One user holds all the sockets here, more than the sockets-per-user limit allows by default.
        await using var host = await GatewayHost.StartAsync(("Limits:SocketsPerUser", "1000"));
        var group = Unique.Name("g");
        var (writer, username) = await host.LoggedInAsync();
        await writer.JoinAsync(group);
        var (typist, typistName) = await host.LoggedInAsync();
        await typist.JoinAsync(group);
        var token = (await writer.OkAsync(new { type = "login", username, password = Chatters.Password })).Str("token");

        // The writer's further sockets follow the group from their auth on; enough of them that the relay
        // hands its writes to the thread pool.
        var readers = new List<ChatSocket>();
        try
        {
            while (readers.Count <= GroupReceivers.WriteHereUpTo)
            {
                var reader = await host.ConnectAsync();
                readers.Add(reader);
                await reader.OkAsync(new { type = "auth", token });
            }

            await typist.OkAsync(new { type = "typing", group });
            await writer.PublishAsync(group, "m1");
            await writer.PublishAsync(group, "m2");

            await Task.WhenAll(readers.Select(async reader =>
            {
                var typing = await reader.NextEventAsync("typing", group);
                Assert.Equal(typistName, typing.Str("user"));
                Assert.Equal(["m1", "m2"], await MessagesAsync(reader, group, 2));
                Assert.DoesNotContain(await reader.DrainAsync(), frame => frame.Type() is "message" or "typing");
            }));
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MessagesLostByTheStream_RepairedFromHistoryOnResubscription()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:TailCheckInterval", "01:00:00"));
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var ((reader, _), (writer, _), group) = (room[0], room[1], room.Group);
        await writer.PublishAsync(group, "m1");

        await DropSubscriptionsBehindTheGatewaysBackAsync(host, group);
        await writer.PublishAsync(group, "m2");
        await writer.PublishAsync(group, "m3");
        host.Services.GetRequiredService<FollowTable>().Resubscribe();
        await writer.NextFrameAsync(frame => frame.Type() == "message" && frame.Str("text") == "m3");
        await writer.PublishAsync(group, "m4");

        Assert.Equal(["m1", "m2", "m3", "m4"], await MessagesAsync(reader, group, 4));
        Assert.DoesNotContain(await reader.DrainAsync(), frame => frame.Type() == "message");
    }

    [Fact]
    public async Task LostFinalMessages_RepairedByTheTailCheck()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:TailCheckInterval", "00:00:00.200"));
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var ((reader, _), (writer, _), group) = (room[0], room[1], room.Group);

        await DropSubscriptionsBehindTheGatewaysBackAsync(host, group);
        await writer.PublishAsync(group, "m1");
        await writer.PublishAsync(group, "m2");

        Assert.Equal(["m1", "m2"], await MessagesAsync(reader, group, 2));
        Assert.DoesNotContain(await reader.DrainAsync(), frame => frame.Type() == "message");
    }

    private static async Task<List<string>> MessagesAsync(ChatSocket socket, string group, int count)
    {
        var texts = new List<string>();
        for (var expectedSeq = 1; expectedSeq <= count; expectedSeq++)
        {
            var message = await socket.NextEventAsync("message", group);
            Assert.Equal(expectedSeq, message.GetProperty("seq").GetInt64());
            texts.Add(message.Str("text"));
        }

        return texts;
    }

    private static async Task<IList<StreamSubscriptionHandle<GroupEvent>>> SubscriptionsAsync(GatewayHost host, string group) =>
        await host.Services.GetRequiredService<IClusterClient>()
            .GetStreamProvider(GroupStream.ProviderName)
            .GetStream<GroupEvent>(GroupStream.For(group))
            .GetAllSubscriptionHandles();

    /// <summary>What a silo failure does to live delivery: the gateway's subscription silently stops delivering.</summary>
    private static async Task DropSubscriptionsBehindTheGatewaysBackAsync(GatewayHost host, string group)
    {
        foreach (var handle in await SubscriptionsAsync(host, group))
        {
            await handle.UnsubscribeAsync();
        }
    }
}
