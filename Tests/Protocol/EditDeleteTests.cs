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

    /// <summary>Edits made while a socket was away: `groups` shows the rev moved on, and `changes` brings each changed message as it is now.</summary>
    [Fact]
    public async Task ChangesMissedWhileAway_ListedByRev_FetchedWithChanges()
    {
        var group = Unique.Name("g");
        var (ann, annName) = await fixture.Host.LoggedInRevision2Async();
        var (bob, bobName) = await fixture.Host.LoggedInRevision2Async();
        await using var _a = ann;
        await ann.JoinAsync(group);
        var joined = await bob.OkAsync(new { type = "join", group });
        await ann.PublishAsync(group, "one");
        await ann.PublishAsync(group, "two");
        await ann.OkAsync(new { type = "direct", to = bobName, text = "psst" });
        var seen = await bob.NextEventAsync("direct");
        var listedBefore = await bob.OkAsync(new { type = "groups" });
        await bob.DisposeAsync();

        await ann.OkAsync(new { type = "edit", group, seq = 1, text = "one, edited" });
        await ann.OkAsync(new { type = "delete", group, seq = 2 });
        await ann.OkAsync(new { type = "edit", group, seq = 1, text = "one, edited twice" });
        var annSaw = await ann.NextEventAsync("edited", group);
        await ann.OkAsync(new { type = "edit", with = bobName, seq = 1, text = "psst, edited" });
        var (back, _) = await fixture.Host.LoggedInRevision2Async(bobName);
        await using var _back = back;
        var groups = await back.OkAsync(new { type = "groups" });
        var conversations = await back.OkAsync(new { type = "conversations" });
        var changes = await back.OkAsync(new { type = "changes", group, after = 0 });
        var page = await back.OkAsync(new { type = "changes", group, after = 0, limit = 1 });
        var direct = await back.OkAsync(new { type = "changes", with = annName, after = 0 });

        Assert.Equal(0, joined.GetProperty("rev").GetInt64());
        Assert.Equal(0, listedBefore.GetProperty("groups")[0].GetProperty("rev").GetInt64());
        Assert.Equal(1L, annSaw.GetProperty("rev").GetInt64());
        Assert.Equal(3, groups.GetProperty("groups")[0].GetProperty("rev").GetInt64());
        Assert.Equal(1, conversations.GetProperty("conversations")[0].GetProperty("rev").GetInt64());
        Assert.Equal((group, 3L, false, true), (changes.Str("group"), changes.GetProperty("rev").GetInt64(), changes.GetProperty("more").GetBoolean(), changes.GetProperty("complete").GetBoolean()));
        Assert.Equal(
            [("message", 1L, "one, edited twice", true), ("message", 2L, "", false)],
            changes.GetProperty("messages").EnumerateArray().Select(m => (m.Type(), m.GetProperty("seq").GetInt64(), m.Str("text"), m.TryGetProperty("edited", out _))));
        Assert.Equal((1L, true), (page.GetProperty("rev").GetInt64(), page.GetProperty("more").GetBoolean()));
        Assert.Equal(1, page.GetProperty("messages").GetArrayLength());
        var changedDirect = Assert.Single(direct.GetProperty("messages").EnumerateArray());
        Assert.Equal((annName, "direct", annName, "psst, edited", seen.Str("ts")), (direct.Str("with"), changedDirect.Type(), changedDirect.Str("with"), changedDirect.Str("text"), changedDirect.Str("ts")));
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
        var joinedByAnnOnly = Unique.Name("g");
        await ann.JoinAsync(joinedByAnnOnly);

        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "edit", group, seq = 1, text = "bob's now" })).Str("code"));
        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "delete", group, seq = 1 })).Str("code"));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "edit", group, seq = 2, text = "future" })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "edit", group, seq = 1 })).Str("code"));
        Assert.Equal("too_large", (await ann.RequestAsync(new { type = "edit", group, seq = 1, text = new string('x', 4001) })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "changes", group })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "changes", group, after = -1 })).Str("code"));
        Assert.Equal("bad_request", (await ann.RequestAsync(new { type = "changes", group, with = "someone", after = 0 })).Str("code"));
        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "changes", group = joinedByAnnOnly, after = 0 })).Str("code"));
        Assert.Equal("not_found", (await ann.RequestAsync(new { type = "changes", group = Unique.Name("none"), after = 0 })).Str("code"));
    }
}
