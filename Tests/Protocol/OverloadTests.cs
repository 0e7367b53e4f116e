using System.Diagnostics;
using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>
/// Publishes answered <c>overloaded</c> while the gateway cannot deliver in time. A bound of zero on the
/// delivery lag makes any measured lag count, so the refusal can be provoked without loading the machine;
/// the last test loads it for real.
/// </summary>
public sealed class OverloadTests
{
    private static readonly (string, string)[] AnyLagOverloads =
    [
        ("Gateway:Overload:MaxDeliveryLag", "00:00:00"),
        ("Gateway:Overload:LagWindow", "00:01:00"),
    ];

    [Fact]
    public async Task PublishAfterALateDelivery_Overloaded_WithRetryHint_NotStoredNorDelivered()
    {
        await using var host = await GatewayHost.StartAsync(AnyLagOverloads);
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var ((alice, _), (bob, _), group) = (room[0], room[1], room.Group);

        await alice.PublishAsync(group, "first");
        await bob.NextEventAsync("message", group);
        var refused = await alice.RequestAsync(new { type = "publish", group, text = "second", clientMsgId = "c-2" });

        Assert.Equal("error", refused.Type());
        Assert.Equal("overloaded", refused.Str("code"));
        Assert.Contains("retry in", refused.Str("message"));
        var retryAfterMs = refused.GetProperty("retryAfterMs").GetInt64();
        Assert.InRange(retryAfterMs, 250, 5000);
        var history = await bob.OkAsync(new { type = "history", group });
        Assert.Equal(["first"], history.GetProperty("messages").EnumerateArray().Select(message => message.Str("text")));
        Assert.DoesNotContain(await bob.DrainAsync(), frame => frame.Type() == "message");
    }

    [Fact]
    public async Task OverloadedOnlyForTheLaggingGroup_OtherRequestsAnswered()
    {
        await using var host = await GatewayHost.StartAsync(AnyLagOverloads);
        await using var lagging = await ChatRoom.OpenAsync(host, 1);
        var (socket, _) = lagging[0];
        var quiet = Unique.Name("g");
        await socket.JoinAsync(quiet);

        await socket.PublishAsync(lagging.Group, "first");
        await socket.NextEventAsync("message", lagging.Group);

        Assert.Equal("overloaded", (await socket.RequestAsync(new { type = "publish", group = lagging.Group, text = "again" })).Str("code"));
        Assert.Equal(1, await socket.PublishAsync(quiet, "elsewhere"));
        await socket.OkAsync(new { type = "history", group = lagging.Group });
    }

    [Fact]
    public async Task LagForgottenAfterTheWindow_PublishAcceptedAgain()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:Overload:MaxDeliveryLag", "00:00:00"), ("Gateway:Overload:LagWindow", "00:00:00.300"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var ((socket, _), group) = (room[0], room.Group);
        await socket.PublishAsync(group, "first");
        await socket.NextEventAsync("message", group);

        var reply = await Eventually.ValueAsync(
            () => socket.RequestAsync(new { type = "publish", group, text = "second" }),
            reply => reply.Type() == "ok",
            "a publish is accepted once the last lag is older than the lag window");

        Assert.Equal(2, reply.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ClientLibrary_RetriesAfterTheHint_UntilAccepted()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:Overload:MaxDeliveryLag", "00:00:00"), ("Gateway:Overload:LagWindow", "00:00:01"));
        await using var client = await LoggedInClientAsync(host, new ChatClientOptions());
        var group = Unique.Name("g");
        await client.JoinAsync(group);
        await client.PublishAsync(group, "first");
        await client.NextEventAsync<MessageReceived>(timeout: ChatSocketTestExtensions.Timeout);

        var retrying = Stopwatch.StartNew();
        var second = await client.PublishAsync(group, "second", "c-2");

        Assert.Equal(2, second.Seq);
        Assert.True(retrying.Elapsed >= TimeSpan.FromMilliseconds(250), $"accepted after {retrying.Elapsed}: the refusal's hint was not waited");
        var history = await client.HistoryAsync(group);
        Assert.Equal(["first", "second"], history.Messages.Select(message => message.Text));
    }

    [Fact]
    public async Task ClientLibrary_WithoutRetries_ThrowsOverloadedWithTheHint()
    {
        await using var host = await GatewayHost.StartAsync(AnyLagOverloads);
        await using var client = await LoggedInClientAsync(host, new ChatClientOptions { RetryOverloadedFor = TimeSpan.Zero });
        var group = Unique.Name("g");
        await client.JoinAsync(group);
        await client.PublishAsync(group, "first");
        await client.NextEventAsync<MessageReceived>(timeout: ChatSocketTestExtensions.Timeout);

        var refused = await Assert.ThrowsAsync<ChatOverloadedException>(() => client.PublishAsync(group, "second"));

        Assert.Equal("overloaded", refused.Code);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Far more publishes than two shared cores deliver within 20 ms, all at once: some are refused, every
    /// acknowledged one reaches every member once and in order, no refused one is stored, no socket is cut
    /// off, and once the burst is over a publish is accepted and delivered promptly.
    /// </summary>
    [Fact]
    public async Task BurstPastCapacity_RefusesSome_DeliversEveryAcknowledged_NoSocketCut_Recovers()
    {
        await using var host = await GatewayHost.StartAsync(
            ("Limits:Enabled", "false"),
            ("Gateway:Overload:MaxDeliveryLag", "00:00:00.020"),
            ("Gateway:Overload:MaxThreadPoolDelay", "00:00:00.020"));
        const int Publishers = 8;
        const int PerPublisher = 400;
        await using var room = await ChatRoom.OpenAsync(host, 24);
        var group = room.Group;
        var members = Enumerable.Range(0, 24).Select(i => room[i].Socket).ToList();

        var replies = await Task.WhenAll(Enumerable.Range(0, Publishers).Select(publisher =>
            Task.WhenAll(Enumerable.Range(0, PerPublisher).Select(n =>
                members[publisher].RequestAsync(new { type = "publish", group, text = $"{publisher}-{n}", clientMsgId = $"{publisher}-{n}" })))));

        var all = replies.SelectMany(reply => reply).ToList();
        Assert.All(all, reply => Assert.True(reply.Type() == "ok" || reply.Str("code") == "overloaded", $"unexpected reply {reply}"));
        var acked = all.Where(reply => reply.Type() == "ok").Select(reply => reply.GetProperty("seq").GetInt64()).Order().ToList();
        Assert.True(all.Any(reply => reply.Type() == "error"), $"no publish of {all.Count} was refused");
        Assert.NotEmpty(acked);
        // Seqs are gapless, so the acknowledged ones being 1..n means nothing refused was stored.
        Assert.Equal(Enumerable.Range(1, acked.Count).Select(seq => (long)seq), acked);

        var after = await Eventually.ValueAsync(
            () => members[0].RequestAsync(new { type = "publish", group, text = "after the burst" }),
            reply => reply.Type() == "ok",
            "a publish is accepted once the burst is over");
        var lastSeq = after.GetProperty("seq").GetInt64();
        var sent = Stopwatch.StartNew();
        foreach (var member in members)
        {
            var seqs = await MessageSeqsThroughAsync(member, lastSeq);
            Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(seq => (long)seq), seqs);
            Assert.Equal(System.Net.WebSockets.WebSocketState.Open, member.State);
        }

        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(2), $"the publish after the burst took {sent.Elapsed} to reach every member");
    }

    private static async Task<List<long>> MessageSeqsThroughAsync(ChatSocket socket, long lastSeq)
    {
        var seqs = new List<long>();
        while (seqs.LastOrDefault() < lastSeq)
        {
            var frame = await socket.NextEventAsync("message");
            seqs.Add(frame.GetProperty("seq").GetInt64());
        }

        return seqs;
    }

    private static async Task<ChatClient> LoggedInClientAsync(GatewayHost host, ChatClientOptions options)
    {
        var username = await host.RegisterAsync();
        var client = await ChatClient.ConnectAsync(host.HttpUri, options);
        await client.LoginAsync(username, Chatters.Password);
        return client;
    }
}
