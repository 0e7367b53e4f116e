using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class GroupTests(GatewayFixture fixture)
{
    [Fact]
    public async Task JoinNewGroup_CreatesItWithSelfOnline()
    {
        var (socket, username) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");

        var reply = await socket.JoinAsync(group);

        Assert.Equal(group, reply.Str("group"));
        Assert.Equal(0, reply.GetProperty("lastSeq").GetInt64());
        var member = Assert.Single(reply.GetProperty("members").EnumerateArray());
        Assert.Equal(username, member.Str("username"));
        Assert.Equal(username.ToLowerInvariant(), member.Str("userId"));
        Assert.True(member.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task JoinAgain_OkWithoutEvent()
    {
        var (alice, _) = await fixture.Host.LoggedInAsync();
        var (bob, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        await using var _b = bob;
        var group = Unique.Name("g");
        await alice.JoinAsync(group);
        await bob.JoinAsync(group);
        await alice.NextEventAsync("presence", group);

        await bob.JoinAsync(group);

        Assert.Empty(await alice.DrainAsync());
    }

    [Fact]
    public async Task GroupNamesAreCaseSensitive()
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("Case");
        await socket.JoinAsync(group);

        var reply = await socket.RequestAsync(new { type = "members", group = group.ToLowerInvariant() });

        Assert.Equal("not_found", reply.Str("code"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/es")]
    [InlineData("x0123456789012345678901234567890123456789012345678901234567890123")]
    public async Task InvalidGroupName_BadRequest(string group)
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;

        Assert.Equal("bad_request", (await socket.RequestAsync(new { type = "join", group })).Str("code"));
    }

    [Fact]
    public async Task RequestsAboutMissingGroup_NotFound()
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("missing");

        foreach (var request in new object[]
        {
            new { type = "leave", group },
            new { type = "publish", group, text = "hello" },
            new { type = "history", group },
            new { type = "members", group },
            new { type = "typing", group },
        })
        {
            Assert.Equal("not_found", (await socket.RequestAsync(request)).Str("code"));
        }
    }

    [Fact]
    public async Task RequestsAboutOthersGroup_Forbidden()
    {
        var (owner, _) = await fixture.Host.LoggedInAsync();
        var (stranger, _) = await fixture.Host.LoggedInAsync();
        await using var _o = owner;
        await using var _s = stranger;
        var group = Unique.Name("private");
        await owner.JoinAsync(group);

        foreach (var request in new object[]
        {
            new { type = "leave", group },
            new { type = "publish", group, text = "let me in" },
            new { type = "history", group },
            new { type = "members", group },
            new { type = "typing", group },
        })
        {
            Assert.Equal("forbidden", (await stranger.RequestAsync(request)).Str("code"));
        }
    }

    [Fact]
    public async Task Leave_EndsMembership()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);

        var reply = await socket.OkAsync(new { type = "leave", group });

        Assert.Equal(group, reply.Str("group"));
        Assert.Equal("forbidden", (await socket.RequestAsync(new { type = "publish", group, text = "gone" })).Str("code"));
        Assert.Empty((await socket.OkAsync(new { type = "groups" })).GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task Groups_ListsMembershipsWithLastSeq()
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var quiet = Unique.Name("a");
        var busy = Unique.Name("b");
        await socket.JoinAsync(quiet);
        await socket.JoinAsync(busy);
        await socket.PublishAsync(busy, "one");
        await socket.PublishAsync(busy, "two");

        var groups = (await socket.OkAsync(new { type = "groups" })).GetProperty("groups").EnumerateArray()
            .ToDictionary(entry => entry.Str("group"), entry => entry.GetProperty("lastSeq").GetInt64());

        Assert.Equal(new Dictionary<string, long> { [quiet] = 0, [busy] = 2 }, groups);
    }

    [Fact]
    public async Task Members_ShowsWhoIsOnline()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        var bobName = await fixture.Host.RegisterAsync();
        var group = Unique.Name("g");
        await alice.JoinAsync(group);
        await using (var bob = (await fixture.Host.LoggedInAsync(bobName)).Socket)
        {
            await bob.JoinAsync(group);
        }

        await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "offline");
        var members = (await alice.OkAsync(new { type = "members", group })).GetProperty("members").EnumerateArray()
            .ToDictionary(member => member.Str("username"), member => member.GetProperty("online").GetBoolean());

        Assert.Equal(new Dictionary<string, bool> { [aliceName] = true, [bobName] = false }, members);
    }

    [Fact]
    public async Task LastMemberLeaves_GroupStillExists()
    {
        await using var room = await ChatRoom.OpenAsync(fixture.Host, 1);
        var ((socket, _), group) = (room[0], room.Group);
        await socket.PublishAsync(group, "before leaving");
        await socket.OkAsync(new { type = "leave", group });

        var rejoin = await socket.JoinAsync(group);

        Assert.Equal(1, rejoin.GetProperty("lastSeq").GetInt64());
        Assert.Equal(JsonValueKind.Array, rejoin.GetProperty("members").ValueKind);
    }
}
