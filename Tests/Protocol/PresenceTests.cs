using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class PresenceTests(GatewayFixture fixture)
{
    [Fact]
    public async Task JoinAndLeave_OthersSeeJoinedAndLeft_NotTheUserItself()
    {
        var (alice, _) = await fixture.Host.LoggedInAsync();
        var (bob, bobName) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        await using var _b = bob;
        var group = Unique.Name("g");
        await alice.JoinAsync(group);

        await bob.JoinAsync(group);
        var joined = await alice.NextEventAsync("presence", group);
        await bob.OkAsync(new { type = "leave", group });
        var left = await alice.NextEventAsync("presence", group);

        Assert.Equal((bobName, "joined"), (joined.Str("user"), joined.Str("status")));
        Assert.Equal((bobName, "left"), (left.Str("user"), left.Str("status")));
        Assert.DoesNotContain(await bob.DrainAsync(), frame => frame.Type() == "presence" && frame.Str("user") == bobName);
    }

    [Fact]
    public async Task FirstSocketOnline_LastSocketOffline()
    {
        var (alice, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        var bobName = await fixture.Host.RegisterAsync();
        var group = Unique.Name("g");
        await alice.JoinAsync(group);
        await using (var setup = (await fixture.Host.LoggedInAsync(bobName)).Socket)
        {
            await setup.JoinAsync(group);
        }

        await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "offline");

        var (phone, _) = await fixture.Host.LoggedInAsync(bobName);
        var online = await alice.NextEventAsync("presence", group);
        var (laptop, _) = await fixture.Host.LoggedInAsync(bobName);
        await phone.DisposeAsync();
        Assert.Empty(await alice.DrainAsync());
        await laptop.DisposeAsync();
        var offline = await alice.NextEventAsync("presence", group);

        Assert.Equal((bobName, "online"), (online.Str("user"), online.Str("status")));
        Assert.Equal((bobName, "offline"), (offline.Str("user"), offline.Str("status")));
    }

    [Fact]
    public async Task Typing_ReachesOtherMembersOnly()
    {
        var (alice, aliceName) = await fixture.Host.LoggedInAsync();
        var (bob, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        await using var _b = bob;
        var group = Unique.Name("g");
        await bob.JoinAsync(group);
        await alice.JoinAsync(group);

        await alice.OkAsync(new { type = "typing", group });
        var typing = await bob.NextEventAsync("typing", group);

        Assert.Equal(aliceName, typing.Str("user"));
        Assert.DoesNotContain(await alice.DrainAsync(), frame => frame.Type() == "typing");
    }

    [Fact]
    public async Task PresenceOfUserInTwoGroups_ReachesBoth()
    {
        var (alice, _) = await fixture.Host.LoggedInAsync();
        await using var _a = alice;
        var bobName = await fixture.Host.RegisterAsync();
        var first = Unique.Name("g1");
        var second = Unique.Name("g2");
        await alice.JoinAsync(first);
        await alice.JoinAsync(second);
        await using (var setup = (await fixture.Host.LoggedInAsync(bobName)).Socket)
        {
            await setup.JoinAsync(first);
            await setup.JoinAsync(second);
        }

        await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "offline");
        await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "offline");

        var (bob, _) = await fixture.Host.LoggedInAsync(bobName);
        await using var _b = bob;
        var groups = new[]
        {
            await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "online"),
            await alice.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "online"),
        }.Select(frame => frame.Str("group")).Order();

        Assert.Equal(new[] { first, second }.Order(), groups);
    }
}
