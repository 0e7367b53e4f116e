using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Read markers over real sockets: `read`, the unread counts of `groups` and `conversations`, and the `read` event.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReadMarkerTests(GatewayFixture fixture)
{
    [Fact]
    public async Task MarkingRead_ReachesTheUsersOtherRevision2Sockets_NotVersion1Ones()
    {
        var group = Unique.Name("g");
        var (first, username) = await fixture.Host.LoggedInRevision2Async();
        var (second, _) = await fixture.Host.LoggedInRevision2Async(username);
        var (v1, _) = await fixture.Host.LoggedInAsync(username);
        await using var _f = first;
        await using var _s = second;
        await using var _v = v1;
        await first.JoinAsync(group);
        await first.PublishAsync(group, "one");
        await first.PublishAsync(group, "two");

        var ok = await first.OkAsync(new { type = "read", group, seq = 2 });
        var synced = await second.NextEventAsync("read");

        Assert.Equal((group, 2L), (ok.Str("group"), ok.GetProperty("seq").GetInt64()));
        Assert.Equal((group, 2L), (synced.Str("group"), synced.GetProperty("seq").GetInt64()));
        Assert.DoesNotContain(await v1.DrainAsync(), frame => frame.Type() == "read");
    }

    [Fact]
    public async Task GroupsAndConversations_SayHowMuchIsUnread()
    {
        var group = Unique.Name("g");
        var (alice, aliceName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = alice;
        await using var _b = bob;
        await bob.JoinAsync(group);
        await alice.JoinAsync(group);
        for (var i = 0; i < 3; i++)
        {
            await alice.PublishAsync(group, $"g{i}");
            await alice.OkAsync(new { type = "direct", to = bobName, text = $"d{i}" });
        }

        await bob.OkAsync(new { type = "read", group, seq = 1 });
        var marked = await bob.OkAsync(new { type = "read", with = aliceName.ToUpperInvariant(), seq = 99 });
        var groups = await bob.OkAsync(new { type = "groups" });
        var conversations = await bob.OkAsync(new { type = "conversations" });

        Assert.Equal((aliceName, 3L), (marked.Str("with"), marked.GetProperty("seq").GetInt64()));
        var entry = Assert.Single(groups.GetProperty("groups").EnumerateArray());
        Assert.Equal((3L, 1L, 2L), (entry.GetProperty("lastSeq").GetInt64(), entry.GetProperty("readSeq").GetInt64(), entry.GetProperty("unread").GetInt64()));
        var conversation = Assert.Single(conversations.GetProperty("conversations").EnumerateArray());
        Assert.Equal((3L, 3L, 0L), (conversation.GetProperty("lastSeq").GetInt64(), conversation.GetProperty("readSeq").GetInt64(), conversation.GetProperty("unread").GetInt64()));
    }

    [Fact]
    public async Task BadReadRequests_GetTheirErrors()
    {
        var (alice, _) = await fixture.Host.LoggedInRevision2Async();
        var (owner, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        await using var _o = owner;
        var group = Unique.Name("g");
        await owner.JoinAsync(group);

        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "read", group })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "read", group, seq = -1 })).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "read", group, with = "someone", seq = 1 })).Str("code"));
        Assert.Equal("forbidden", (await alice.RequestAsync(new { type = "read", group, seq = 1 })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "read", group = Unique.Name("none"), seq = 1 })).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync(new { type = "read", with = Unique.Name("nobody"), seq = 1 })).Str("code"));
    }
}
