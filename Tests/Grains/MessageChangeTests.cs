using OrleansChat.Conversations;
using OrleansChat.Direct;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Rules;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

/// <summary>Edits and deletions of stored messages: in place, at their seq, by whom the grain allows.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MessageChangeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Edit_ChangesTheTextInPlace_InTheHeadAndInASealedPage()
    {
        var ann = await fixture.RegisterAsync("Ann");
        var group = await GroupWithMessagesAsync(ann, HistoryPaging.PageCapacity + 2);

        var inHead = await Group(group).Edit(ann.UserId, HistoryPaging.PageCapacity + 1, "head, edited");
        var inPage = await Group(group).Edit(ann.UserId, 1, "sealed, edited");
        var history = await History(group).Read(ann.UserId, new HistoryQuery(After: 0, Before: null, Limit: 200));

        Assert.NotNull(inHead.EditedAt);
        Assert.Equal(HistoryPaging.PageCapacity + 2, history.Messages.Count);
        Assert.Equal(Enumerable.Range(1, HistoryPaging.PageCapacity + 2).Select(seq => (long)seq), history.Messages.Select(message => message.Seq));
        Assert.Equal(inPage, history.Messages[0]);
        Assert.Equal(inHead, history.Messages[HistoryPaging.PageCapacity]);
        Assert.Equal(("sealed, edited", "head, edited"), (history.Messages[0].Text, history.Messages[HistoryPaging.PageCapacity].Text));
        Assert.Null(history.Messages[1].EditedAt);
    }

    [Fact]
    public async Task Delete_LeavesATombstone_ThatCannotBeEdited()
    {
        var ann = await fixture.RegisterAsync("Ann");
        var group = await GroupWithMessagesAsync(ann, 3);
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);

        var deleted = await Group(group).Delete(ann.UserId, 2);
        var edit = await Assert.ThrowsAsync<ChatException>(() => Group(group).Edit(ann.UserId, 2, "back?"));
        var history = await History(group).Read(ann.UserId, new HistoryQuery(null, null, 50));

        Assert.Equal(("", true, ann.Username), (deleted.Text, deleted.Deleted, deleted.DeletedBy));
        Assert.Equal(deleted, (await events.NextAsync<MessageChanged>()).Message);
        Assert.Equal(ChatErrorCode.Conflict, edit.Code);
        Assert.Equal(3, history.Messages.Count);
        Assert.Equal(deleted, history.Messages[1]);
    }

    [Fact]
    public async Task OthersMessages_OnlyAnAdminDeletes_NobodyElseEdits()
    {
        var (ann, bob) = (await fixture.RegisterAsync("Ann"), await fixture.RegisterAsync("Bob"));
        var group = await GroupWithMessagesAsync(ann, 2);
        await fixture.User(bob).JoinGroup(group);

        var bobEdits = await Assert.ThrowsAsync<ChatException>(() => Group(group).Edit(bob.UserId, 1, "mine now"));
        var bobDeletes = await Assert.ThrowsAsync<ChatException>(() => Group(group).Delete(bob.UserId, 1));
        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Promote);
        var adminDeletes = await Group(group).Delete(bob.UserId, 1);
        var adminEdits = await Assert.ThrowsAsync<ChatException>(() => Group(group).Edit(bob.UserId, 2, "still not mine"));

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.Forbidden, ChatErrorCode.Forbidden), (bobEdits.Code, bobDeletes.Code, adminEdits.Code));
        Assert.Equal(bob.Username, adminDeletes.DeletedBy);
    }

    [Fact]
    public async Task Changes_OnlyOfStoredMessages_ByMembers()
    {
        var (ann, eve) = (await fixture.RegisterAsync("Ann"), await fixture.RegisterAsync("Eve"));
        var group = await GroupWithMessagesAsync(ann, 1);

        var noSuchSeq = await Assert.ThrowsAsync<ChatException>(() => Group(group).Edit(ann.UserId, 2, "ahead"));
        var stranger = await Assert.ThrowsAsync<ChatException>(() => Group(group).Delete(eve.UserId, 1));

        Assert.Equal((ChatErrorCode.NotFound, ChatErrorCode.Forbidden), (noSuchSeq.Code, stranger.Code));
    }

    [Fact]
    public async Task DirectMessages_EditedAndDeletedByTheirAuthorOnly()
    {
        var (ann, bob) = (await fixture.RegisterAsync("Ann"), await fixture.RegisterAsync("Bob"));
        var direct = fixture.Client.GetGrain<IDirectGrain>(ConversationKey.Between(ann.UserId, bob.UserId).ToGrainKey());
        await direct.Send(ann.UserId, "typo", null);

        var bobEdits = await Assert.ThrowsAsync<ChatException>(() => direct.Edit(bob.UserId, 1, "not yours"));
        var bobDeletes = await Assert.ThrowsAsync<ChatException>(() => direct.Delete(bob.UserId, 1));
        var edited = await direct.Edit(ann.UserId, 1, "fixed");

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.Forbidden), (bobEdits.Code, bobDeletes.Code));
        Assert.Equal(("fixed", bob.Username), (edited.Text, edited.To));
        Assert.Equal(edited, Assert.Single((await direct.GetHead(bob.UserId)).Messages));
    }

    /// <summary>A page sealed again after an edit (its first seal's move to the next page failed) keeps the edit.</summary>
    [Fact]
    public async Task SealingAgainWithAnEditedMessage_StoresTheEdit()
    {
        var ann = await fixture.RegisterAsync("Ann");
        var group = await GroupWithMessagesAsync(ann, 1);
        var page = fixture.Client.GetGrain<IHistoryPageGrain>(new HistoryPageKey(group, 99).ToGrainKey());
        var original = new ChatMessage(1, ann.UserId, ann.Username, "first", DateTime.UtcNow, null);

        await page.Seal([original]);
        await page.Seal([original with { Text = "edited", EditedAt = DateTime.UtcNow }]);

        Assert.Equal("edited", Assert.Single(await page.GetMessages(ann.UserId)).Text);
    }

    /// <summary>Each edit or deletion takes the next rev; the changes since a rev name each changed message once, as it is now.</summary>
    [Fact]
    public async Task EachChange_TakesTheNextRev_ChangesSinceARevListEachMessageOnce()
    {
        var ann = await fixture.RegisterAsync("Ann");
        var group = await GroupWithMessagesAsync(ann, HistoryPaging.PageCapacity + 2);
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);
        var changesWritten = fixture.Storage.WritesOf<ChangesState>();
        await Group(group).Publish(ann.UserId, "a publish takes no rev", null);
        var afterPublish = (await Group(group).GetPosition(ann.UserId), fixture.Storage.WritesOf<ChangesState>());

        await Group(group).Edit(ann.UserId, 1, "sealed, edited");
        await Group(group).Edit(ann.UserId, HistoryPaging.PageCapacity + 1, "head, edited");
        await Group(group).Edit(ann.UserId, 1, "sealed, edited again");
        await Group(group).Delete(ann.UserId, 2);
        var revs = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            revs.Add((await events.NextAsync<MessageChanged>()).Rev);
        }

        var all = await History(group).ReadChanges(ann.UserId, afterRev: 0, limit: 50);
        var sinceTwo = await Group(group).GetChanges(ann.UserId, afterRev: 2, limit: 50);
        var firstOne = await Group(group).GetChanges(ann.UserId, afterRev: 0, limit: 1);
        var nothingNew = await Group(group).GetChanges(ann.UserId, afterRev: 4, limit: 50);
        var ahead = await Group(group).GetChanges(ann.UserId, afterRev: 10, limit: 50);

        Assert.Equal((new LogPosition(HistoryPaging.PageCapacity + 3, 0), changesWritten), afterPublish);
        Assert.Equal([1, 2, 3, 4], revs);
        Assert.Equal(4, (await Group(group).GetPosition(ann.UserId)).Rev);
        Assert.Equal((4, false, true), (all.Rev, all.More, all.Complete));
        Assert.Equal(
            [(1L, "sealed, edited again", false), (2L, "", true), (HistoryPaging.PageCapacity + 1L, "head, edited", false)],
            all.Messages.Select(message => (message.Seq, message.Text, message.Deleted)));
        Assert.Equal([1, 2], sinceTwo.Seqs);
        Assert.Equal((4L, false, true), (sinceTwo.Rev, sinceTwo.More, sinceTwo.Complete));
        Assert.Equal([1], firstOne.Seqs);
        Assert.Equal((1L, true), (firstOne.Rev, firstOne.More));
        Assert.Equal((0, 4L, false, true), (nothingNew.Seqs.Count, nothingNew.Rev, nothingNew.More, nothingNew.Complete));
        Assert.Equal((0, 4L, false, true), (ahead.Seqs.Count, ahead.Rev, ahead.More, ahead.Complete));
        Assert.Equal(4, (await fixture.User(ann).GetGroups()).Single(summary => summary.Group == group).Rev);
    }

    /// <summary>A client further behind than the changes a conversation remembers is told to read again what it holds.</summary>
    [Fact]
    public async Task ChangesOlderThanTheWindow_Incomplete()
    {
        var ann = await fixture.RegisterAsync("Ann");
        var group = await GroupWithMessagesAsync(ann, 1);
        for (var i = 0; i <= ChatLimits.ChangeWindow; i++)
        {
            await Group(group).Edit(ann.UserId, 1, $"edit {i}");
        }

        var tooOld = await History(group).ReadChanges(ann.UserId, afterRev: 0, limit: 50);
        var oldestKept = await History(group).ReadChanges(ann.UserId, afterRev: 1, limit: 50);

        Assert.Equal((0, ChatLimits.ChangeWindow + 1L, false), (tooOld.Messages.Count, tooOld.Rev, tooOld.Complete));
        Assert.Equal(($"edit {ChatLimits.ChangeWindow}", true), (Assert.Single(oldestKept.Messages).Text, oldestKept.Complete));
    }

    [Fact]
    public async Task Changes_ReadByMembersOnly()
    {
        var (ann, bob) = (await fixture.RegisterAsync("Ann"), await fixture.RegisterAsync("Bob"));
        var group = await GroupWithMessagesAsync(ann, 1);
        await Group(group).Edit(ann.UserId, 1, "members only");

        var read = await Assert.ThrowsAsync<ChatException>(() => History(group).ReadChanges(bob.UserId, 0, 50));
        var listed = await Assert.ThrowsAsync<ChatException>(() => Group(group).GetChanges(bob.UserId, 0, 50));

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.Forbidden), (read.Code, listed.Code));
    }

    private async Task<string> GroupWithMessagesAsync(UserIdentity author, int messages)
    {
        var group = Unique.Name("g");
        await fixture.User(author).JoinGroup(group);
        for (var i = 1; i <= messages; i++)
        {
            await Group(group).Publish(author.UserId, $"m{i}", null);
        }

        return group;
    }

    private IGroupGrain Group(string name) => fixture.Client.GetGrain<IGroupGrain>(name);

    private IHistoryReaderGrain History(string name) => fixture.Client.GetGrain<IHistoryReaderGrain>(name);
}
