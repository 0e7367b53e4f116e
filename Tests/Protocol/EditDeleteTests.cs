using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Editing and deleting stored messages over real sockets: the ok, the events revision 2 sockets apply, and history.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EditDeleteTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Edit_OthersRevision2SocketsApplyIt_HistoryShowsTheNewText()
    {
        var group = Unique.Name("g");
        var (ann, _) = await fixture.Host.LoggedInRevision2Async();
        var (bob, _) = await fixture.Host.LoggedInRevision2Async();
        var (carolV1, _) = await fixture.Host.LoggedInAsync();
        await using var _a = ann;
        await using var _b = bob;
        await using var _c = carolV1;
        foreach (var socket in new[] { ann, bob, carolV1 })
        {
            await socket.JoinAsync(group);
        }

        await ann.PublishAsync(group, "helo");
        var ok = await ann.OkAsync(new { type = "edit", group, seq = 1, text = "hello" });
        var edited = await bob.NextEventAsync("edited", group);
        var history = await carolV1.OkAsync(new { type = "history", group });

        Assert.Equal((group, 1L), (ok.Str("group"), ok.GetProperty("seq").GetInt64()));
        Assert.Equal((1L, "hello"), (edited.GetProperty("seq").GetInt64(), edited.Str("text")));
        Assert.Matches(HttpEndpointTests.TimestampFormat(), edited.Str("editedAt"));
        var stored = Assert.Single(history.GetProperty("messages").EnumerateArray());
        Assert.Equal(("hello", true, edited.Str("editedAt")), (stored.Str("text"), stored.GetProperty("edited").GetBoolean(), stored.Str("editedAt")));
        Assert.DoesNotContain(await carolV1.DrainAsync(), frame => frame.Type() is "edited" or "deleted");
    }

    [Fact]
    public async Task Delete_ByAnAdmin_LeavesATombstoneInHistory()
    {
        var group = Unique.Name("g");
        var (owner, _) = await fixture.Host.LoggedInRevision2Async();
        var (author, _) = await fixture.Host.LoggedInRevision2Async();
        await using var _o = owner;
        await using var _a = author;
        await owner.JoinAsync(group);
        await author.JoinAsync(group);
        await author.PublishAsync(group, "regrettable");

        await owner.OkAsync(new { type = "delete", group, seq = 1 });
        var deleted = await author.NextEventAsync("deleted", group);
        var history = await author.OkAsync(new { type = "history", group });
        var editAfter = await author.RequestAsync(new { type = "edit", group, seq = 1, text = "undo" });

        var ownerName = deleted.Str("by");
        var tombstone = Assert.Single(history.GetProperty("messages").EnumerateArray());
        Assert.Equal(("", true, ownerName), (tombstone.Str("text"), tombstone.GetProperty("deleted").GetBoolean(), tombstone.Str("deletedBy")));
        Assert.Equal("conflict", editAfter.Str("code"));
    }

    [Fact]
    public async Task DirectMessage_EditReachesBothUsers_NamingTheOtherOne()
    {
        var (ann, annName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = ann;
        await using var _b = bob;
        await ann.OkAsync(new { type = "direct", to = bobName, text = "see you at 5" });

        var ok = await ann.OkAsync(new { type = "edit", with = bobName, seq = 1, text = "see you at 6" });
        var atBob = await bob.NextEventAsync("edited");
        var atAnn = await ann.NextEventAsync("edited");

        Assert.Equal((bobName, 1L), (ok.Str("with"), ok.GetProperty("seq").GetInt64()));
        Assert.Equal((annName, "see you at 6"), (atBob.Str("with"), atBob.Str("text")));
        Assert.Equal(bobName, atAnn.Str("with"));
    }

    [Fact]
    public async Task BadChanges_GetTheirErrors()
    {
        var group = Unique.Name("g");
        var (ann, _) = await fixture.Host.LoggedInRevision2Async();
        var (bob, _) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = ann;
        await using var _b = bob;
        await ann.JoinAsync(group);
        await bob.JoinAsync(group);
        await ann.PublishAsync(group, "ann's");

        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "edit", group, seq = 1, text = "bob's now" })).Str("code"));
        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "delete", group, seq = 1 })).Str("code"));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "edit", group, seq = 2, text = "future" })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "edit", group, seq = 1 })).Str("code"));
        Assert.Equal("too_large", (await ann.RequestAsync(new { type = "edit", group, seq = 1, text = new string('x', 4001) })).Str("code"));
    }
}
