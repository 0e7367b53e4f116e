using System.Text.Json.Nodes;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Direct messages over real sockets: protocol revision 2, which a socket asks for at login or auth.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DirectMessageTests(GatewayFixture fixture)
{
    [Fact]
    public async Task LoginOrAuthWithProtocol2_OkSaysSo_WithoutIt_TheOkIsVersion1s()
    {
        var username = await fixture.Host.RegisterAsync();
        await using var v2 = await fixture.Host.ConnectAsync();
        await using var v1 = await fixture.Host.ConnectAsync();
        await using var byToken = await fixture.Host.ConnectAsync();

        var login = await v2.OkAsync(new { type = "login", username, password = Chatters.Password, protocol = 2 });
        var plain = await v1.OkAsync(new { type = "login", username, password = Chatters.Password });
        var auth = await byToken.OkAsync(new { type = "auth", token = login.Str("token"), protocol = 2 });

        Assert.Equal(2, login.GetProperty("protocol").GetInt32());
        Assert.False(plain.TryGetProperty("protocol", out _));
        Assert.Equal(2, auth.GetProperty("protocol").GetInt32());
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("\"2\"")]
    [InlineData("2.5")]
    public async Task UnknownProtocolRevision_BadRequest(string protocol)
    {
        var username = await fixture.Host.RegisterAsync();
        await using var socket = await fixture.Host.ConnectAsync();

        var reply = await socket.RequestAsync(JsonNode.Parse(
            $$"""{"type":"login","username":"{{username}}","password":"{{Chatters.Password}}","protocol":{{protocol}}}""")!.AsObject());

        Assert.Equal(("bad_request", "protocol must be 1 or 2"), (reply.Str("code"), reply.Str("message")));
    }

    [Fact]
    public async Task Direct_OkAndEventOnEverySocketOfBothUsers_EachNamingTheOther()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;
        var (alice2, _) = await fixture.Host.LoggedInRevision2Async(aliceName);
        var (bob2, _) = await fixture.Host.LoggedInRevision2Async(bobName);
        await using var _a2 = alice2;
        await using var _b2 = bob2;

        var ok = await alice.OkAsync(new { type = "direct", to = bobName.ToUpperInvariant(), text = "hi bob", clientMsgId = "d-1" });

        Assert.Equal((bobName, 1L), (ok.Str("with"), ok.GetProperty("seq").GetInt64()));
        Assert.Matches(HttpEndpointTests.TimestampFormat(), ok.Str("ts"));
        foreach (var (socket, with) in new[] { (alice, bobName), (alice2, bobName), (bob, aliceName), (bob2, aliceName) })
        {
            var frame = await socket.NextEventAsync("direct");
            Assert.Equal((with, 1L, aliceName, "hi bob", ok.Str("ts"), "d-1"),
                (frame.Str("with"), frame.GetProperty("seq").GetInt64(), frame.Str("from"), frame.Str("text"), frame.Str("ts"), frame.Str("clientMsgId")));
        }

        var reply = await bob2.OkAsync(new { type = "direct", to = aliceName, text = "hi alice" });
        Assert.Equal(2, reply.GetProperty("seq").GetInt64());
        Assert.Equal(bobName, (await alice.NextEventAsync("direct")).Str("from"));
    }

    [Fact]
    public async Task Version1Sockets_NeverReceiveDirectFrames_ButMaySend()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bobV2, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bobV2;
        var (bobV1, _) = await fixture.Host.LoggedInAsync(bobName);
        await using var _c = bobV1;

        await alice.OkAsync(new { type = "direct", to = bobName, text = "for v2 only" });
        await bobV2.NextEventAsync("direct");
        var sentFromV1 = await bobV1.OkAsync(new { type = "direct", to = aliceName, text = "sent from v1" });
        await bobV2.NextEventAsync("direct");

        Assert.Equal(2, sentFromV1.GetProperty("seq").GetInt64());
        Assert.DoesNotContain(await bobV1.DrainAsync(), frame => frame.Type() == "direct");
    }

    [Fact]
    public async Task HistoryWithAUser_ReadsTheConversation_AsTheReaderSeesIt()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;
        await alice.OkAsync(new { type = "direct", to = bobName, text = "one" });
        await bob.OkAsync(new { type = "direct", to = aliceName, text = "two" });
        await alice.OkAsync(new { type = "direct", to = bobName, text = "three" });

        var history = await bob.OkAsync(new { type = "history", with = aliceName.ToUpperInvariant(), after = 1 });

        Assert.Equal(aliceName, history.Str("with"));
        Assert.False(history.GetProperty("more").GetBoolean());
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([(2L, bobName, "two"), (3L, aliceName, "three")], messages.Select(m => (m.GetProperty("seq").GetInt64(), m.Str("from"), m.Str("text"))));
        Assert.All(messages, message => Assert.Equal(("direct", aliceName), (message.Type(), message.Str("with"))));
    }

    [Fact]
    public async Task Reconnecting_ListsTheConversation_CatchesUpFromHistory_AndFollowsItLive()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await alice.OkAsync(new { type = "direct", to = bobName, text = "before" });
        await bob.NextEventAsync("direct");
        await bob.DisposeAsync();
        await alice.OkAsync(new { type = "direct", to = bobName, text = "missed 1" });
        await alice.OkAsync(new { type = "direct", to = bobName, text = "missed 2" });

        var (back, _) = await fixture.Host.LoggedInRevision2Async(bobName);
        await using var _back = back;
        var conversations = await back.OkAsync(new { type = "conversations" });
        var missed = await back.OkAsync(new { type = "history", with = aliceName, after = 1 });
        await alice.OkAsync(new { type = "direct", to = bobName, text = "live again" });
        var live = await back.NextEventAsync("direct");

        var entry = Assert.Single(conversations.GetProperty("conversations").EnumerateArray());
        Assert.Equal((aliceName, 3L, false), (entry.Str("with"), entry.GetProperty("lastSeq").GetInt64(), entry.GetProperty("blocked").GetBoolean()));
        Assert.Equal(["missed 1", "missed 2"], missed.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
        Assert.Equal((4L, "live again"), (live.GetProperty("seq").GetInt64(), live.Str("text")));
    }

    [Fact]
    public async Task RepeatedClientMsgId_StoredOnce_OkCarriesTheFirstSeq()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;

        var first = await alice.OkAsync(new { type = "direct", to = bobName, text = "once", clientMsgId = "r-1" });
        var retry = await alice.OkAsync(new { type = "direct", to = bobName, text = "once", clientMsgId = "r-1" });
        var history = await bob.OkAsync(new { type = "history", with = aliceName });

        Assert.Equal((first.GetProperty("seq").GetInt64(), first.Str("ts")), (retry.GetProperty("seq").GetInt64(), retry.Str("ts")));
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task Blocking_StopsTheirMessages_UntilUnblocked()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;

        var blocked = await bob.OkAsync(new { type = "block", user = aliceName.ToUpperInvariant() });
        var refused = await alice.RequestAsync(new { type = "direct", to = bobName, text = "let me in" });
        var list = await bob.OkAsync(new { type = "conversations" });
        var unblocked = await bob.OkAsync(new { type = "unblock", user = aliceName });
        var accepted = await alice.OkAsync(new { type = "direct", to = bobName, text = "thanks" });

        Assert.Equal(aliceName, blocked.Str("user"));
        Assert.Equal(("forbidden", $"{bobName} does not accept direct messages from you"), (refused.Str("code"), refused.Str("message")));
        Assert.True(list.GetProperty("conversations")[0].GetProperty("blocked").GetBoolean());
        Assert.Equal(aliceName, unblocked.Str("user"));
        Assert.Equal(1, accepted.GetProperty("seq").GetInt64());
        Assert.Equal("thanks", (await bob.NextEventAsync("direct")).Str("text"));
    }

    /// <summary>Forgetting drops the conversation from the list and its events from the socket; the other user's next message lists it again, as a request.</summary>
    [Fact]
    public async Task Forget_DropsTheConversation_UntilTheOtherWritesAgain()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;
        await alice.OkAsync(new { type = "direct", to = bobName, text = "hello" });
        await bob.NextEventAsync("direct");

        var listed = await bob.OkAsync(new { type = "conversations" });
        var forgot = await bob.OkAsync(new { type = "forget", user = aliceName.ToUpperInvariant() });
        var afterForget = await bob.OkAsync(new { type = "conversations" });
        await alice.OkAsync(new { type = "edit", with = bobName, seq = 1, text = "hello, edited" });

        // Once the gateway's relay has passed the edit to Alice, it has passed Bob's socket by too.
        await alice.NextEventAsync("edited");
        await alice.OkAsync(new { type = "direct", to = bobName, text = "again" });
        var next = await bob.NextFrameAsync(frame => frame.Type() is "direct" or "edited");
        var relisted = await bob.OkAsync(new { type = "conversations" });

        var request = Assert.Single(listed.GetProperty("conversations").EnumerateArray());
        Assert.Equal((aliceName, true, 1L), (request.Str("with"), request.GetProperty("request").GetBoolean(), request.GetProperty("unread").GetInt64()));
        Assert.Equal(aliceName, forgot.Str("user"));
        Assert.Empty(afterForget.GetProperty("conversations").EnumerateArray());
        Assert.Equal(("direct", 2L, "again"), (next.Type(), next.GetProperty("seq").GetInt64(), next.Str("text")));
        var again = Assert.Single(relisted.GetProperty("conversations").EnumerateArray());
        Assert.Equal((2L, 1L, 1L, true), (again.GetProperty("lastSeq").GetInt64(), again.GetProperty("readSeq").GetInt64(), again.GetProperty("unread").GetInt64(), again.GetProperty("request").GetBoolean()));
        Assert.False((await alice.OkAsync(new { type = "conversations" })).GetProperty("conversations")[0].GetProperty("request").GetBoolean());
    }

    [Fact]
    public async Task BadDirectRequests_GetTheirErrors()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        var unknown = Unique.Name("nobody");
        var group = Unique.Name("g");

        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "direct", to = aliceName, text = "me" })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "direct", to = unknown, text = "anyone?" })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "history", with = unknown })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "block", user = unknown })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "forget", user = unknown })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "forget", user = aliceName })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "direct", to = "a b", text = "x" })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "direct", text = "to nobody" })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "history", group, with = unknown })).Str("code"));
        Assert.Equal("too_large", (await alice.RequestAsync(new { type = "direct", to = unknown, text = new string('x', 4001) })).Str("code"));
        Assert.Empty((await alice.OkAsync(new { type = "conversations" })).GetProperty("conversations").EnumerateArray());
    }

    [Fact]
    public async Task ThirdUser_CannotReadAConversation_ItIsNotIn()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        var (eve, _) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;
        await using var _e = eve;
        await alice.OkAsync(new { type = "direct", to = bobName, text = "private" });

        var asEve = await eve.OkAsync(new { type = "history", with = aliceName });

        Assert.Empty(asEve.GetProperty("messages").EnumerateArray());
        Assert.DoesNotContain(await eve.DrainAsync(), frame => frame.Type() == "direct");
    }

    [Fact]
    public async Task DirectMessages_CountedInTheMetricsByType()
    {
        using var metrics = new MetricRecorder(fixture.Host);
        var (alice, _) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;

        await alice.OkAsync(new { type = "direct", to = bobName, text = "counted" });
        await alice.NextEventAsync("direct");
        await bob.NextEventAsync("direct");

        Assert.Equal(1, metrics.Sum("orleanschat.frames.received", "orleanschat.frame.type=direct"));
        Assert.Equal(1, metrics.Sum("orleanschat.publishes", "orleanschat.conversation.kind=direct"));
        Assert.Equal(0, metrics.Sum("orleanschat.publishes", "orleanschat.conversation.kind=group"));
        Assert.Equal(2, metrics.Sum("orleanschat.frames.sent", "orleanschat.frame.type=direct"));
    }
}
