using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Private groups, roles and moderation over real sockets, with the events revision 2 sockets get.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PrivateGroupTests(GatewayFixture fixture)
{
    [Fact]
    public async Task PrivateGroup_InvitationLetsIn_EveryoneHearsOfIt()
    {
        var group = Unique.Name("g");
        var (ann, annName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = ann;
        await using var _b = bob;

        var created = await ann.OkAsync(new { type = "create", group, visibility = "private" });
        var refused = await bob.RequestAsync(new { type = "join", group });
        var invited = await ann.OkAsync(new { type = "invite", group, user = bobName.ToUpperInvariant() });
        var invitation = await bob.NextEventAsync("invitation");
        var memberEvent = await ann.NextEventAsync("member", group);
        var joined = await bob.OkAsync(new { type = "join", group });

        Assert.Equal(("owner", "private"), (created.Str("role"), created.Str("visibility")));
        Assert.Equal("owner", created.GetProperty("members")[0].Str("role"));
        Assert.Equal("forbidden", refused.Str("code"));
        Assert.Equal((group, bobName), (invited.Str("group"), invited.Str("user")));
        Assert.Equal((group, annName), (invitation.Str("group"), invitation.Str("by")));
        Assert.Equal((bobName, "invited", annName, "member"), (memberEvent.Str("user"), memberEvent.Str("action"), memberEvent.Str("by"), memberEvent.Str("role")));
        Assert.Equal(("member", "private"), (joined.Str("role"), joined.Str("visibility")));
    }

    [Fact]
    public async Task Kick_TheKickedUserIsToldAndStopsReceiving_Version1MembersSeeThemLeave()
    {
        var group = Unique.Name("g");
        var (ann, annName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        var (carolV1, _) = await fixture.Host.LoggedInAsync();
        await using var _a = ann;
        await using var _b = bob;
        await using var _c = carolV1;
        await ann.JoinAsync(group);
        await bob.JoinAsync(group);
        await carolV1.JoinAsync(group);

        await ann.OkAsync(new { type = "kick", group, user = bobName });
        var told = await bob.NextFrameAsync(frame => frame.Type() == "member" && frame.Str("action") == "kicked");
        var left = await carolV1.NextFrameAsync(frame => frame.Type() == "presence" && frame.Str("status") == "left");
        await ann.PublishAsync(group, "after the kick");
        await carolV1.NextEventAsync("message", group);

        Assert.Equal((group, bobName, annName), (told.Str("group"), told.Str("user"), told.Str("by")));
        Assert.Equal(bobName, left.Str("user"));
        Assert.DoesNotContain(await carolV1.DrainAsync(), frame => frame.Type() == "member");
        Assert.DoesNotContain(await bob.DrainAsync(), frame => frame.Type() == "message");
        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "history", group })).Str("code"));
    }

    /// <summary>The kick's event reaches the gateway's relay after the re-join here; it must not end the new membership's follow.</summary>
    [Fact]
    public async Task KickedUser_JoiningAgainAtOnce_KeepsReceivingThePublicGroup()
    {
        var (group, ann, bob, bobName) = await fixture.Host.OwnerAndMemberAsync();
        await using var _a = ann;
        await using var _b = bob;

        await ann.OkAsync(new { type = "kick", group, user = bobName });
        await bob.JoinAsync(group);
        await ann.PublishAsync(group, "welcome back");
        await ann.NextEventAsync("message", group);
        await ann.PublishAsync(group, "still here?");

        Assert.Equal("welcome back", (await bob.NextEventAsync("message", group)).Str("text"));
        Assert.Equal("still here?", (await bob.NextEventAsync("message", group)).Str("text"));
    }

    [Fact]
    public async Task OnlyTheOwner_DemotesTransfersAndDeletes()
    {
        var (group, ann, bob, bobName) = await fixture.Host.OwnerAndMemberAsync();
        await using var _a = ann;
        await using var _b = bob;

        await ann.OkAsync(new { type = "promote", group, user = bobName });
        var adminDeletes = await bob.RequestAsync(new { type = "delete_group", group });
        var members = await bob.OkAsync(new { type = "members", group });
        await ann.OkAsync(new { type = "transfer", group, user = bobName });
        var formerOwnerDeletes = await ann.RequestAsync(new { type = "delete_group", group });
        await bob.OkAsync(new { type = "delete_group", group });
        var deleted = await ann.NextFrameAsync(frame => frame.Type() == "group_deleted");

        Assert.Equal("forbidden", adminDeletes.Str("code"));
        Assert.Equal(["admin", "owner"], members.GetProperty("members").EnumerateArray().Select(m => m.Str("role")).Order());
        Assert.Equal("forbidden", formerOwnerDeletes.Str("code"));
        Assert.Equal((group, bobName), (deleted.Str("group"), deleted.Str("by")));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "history", group })).Str("code"));
        Assert.Equal("conflict", (await ann.RequestAsync(new { type = "create", group })).Str("code"));
        Assert.Empty((await ann.OkAsync(new { type = "groups" })).GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task BadModerationRequests_GetTheirErrors()
    {
        var group = Unique.Name("g");
        var (ann, annName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = ann;
        await ann.JoinAsync(group);

        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "create", group = Unique.Name("g"), visibility = "secret" })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "kick", group })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "kick", group, user = annName })).Str("code"));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "invite", group, user = Unique.Name("nobody") })).Str("code"));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "ban", group = Unique.Name("none"), user = annName })).Str("code"));
    }
}
