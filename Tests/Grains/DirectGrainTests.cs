using OrleansChat.Conversations;
using OrleansChat.Direct;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class DirectGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task FirstMessage_ListsTheConversationForBoth_SeqsStartAtOneWithoutGaps()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);

        var receipts = new List<DirectReceipt>();
        for (var i = 0; i < 3; i++)
        {
            receipts.Add(await direct.Send(ann.UserId, $"m{i}", null));
        }

        var reply = await direct.Send(bob.UserId, "hi back", null);

        Assert.Equal([1, 2, 3], receipts.Select(receipt => receipt.Seq));
        Assert.All(receipts, receipt => Assert.Equal(bob.Username, receipt.With));
        Assert.Equal((4, ann.Username), (reply.Seq, reply.With));
        Assert.Equal([new ConversationSummary(bob.Username, 4, Blocked: false)], await User(ann).GetConversations());
        Assert.Equal([new ConversationSummary(ann.Username, 4, Blocked: false)], await User(bob).GetConversations());
        Assert.Empty(await User(ann).GetGroups());
    }

    [Fact]
    public async Task RepeatedClientMsgId_StoredOnce()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);

        var both = await Task.WhenAll(direct.Send(ann.UserId, "first", "c1"), direct.Send(ann.UserId, "retry", "c1"));
        var later = await direct.Send(ann.UserId, "again", "c1");

        Assert.Equal(both[0], both[1]);
        Assert.Equal(both[0], later);
        Assert.Equal(1, await direct.GetLastSeq(bob.UserId));
    }

    /// <summary>A cluster client with no gateway in front gets nothing of a conversation it is not in, down to the sealed pages.</summary>
    [Fact]
    public async Task EveryReadAndWrite_ChecksTheParticipantsInTheGrains()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var cat = await RegisterAsync("Cat");
        var direct = Direct(ann, bob);
        var key = ConversationKey.Between(ann.UserId, bob.UserId).ToGrainKey();
        for (var i = 0; i < HistoryPaging.PageCapacity + 1; i++)
        {
            await direct.Send(ann.UserId, $"m{i}", null);
        }

        var reader = fixture.Client.GetGrain<IHistoryReaderGrain>(key);
        var sealedPage = fixture.Client.GetGrain<IHistoryPageGrain>(new HistoryPageKey(key, 0).ToGrainKey());
        await AssertForbidden(() => direct.Send(cat.UserId, "let me in", null));
        await AssertForbidden(() => direct.SetBlocked(cat.UserId, true));
        await AssertForbidden(() => direct.RequireMember(cat.UserId));
        await AssertForbidden(() => direct.GetLastSeq(cat.UserId));
        await AssertForbidden(() => direct.GetHead(cat.UserId));
        await AssertForbidden(() => reader.Read(cat.UserId, new HistoryQuery(null, null, 50)));
        await AssertForbidden(() => reader.ReadRange(cat.UserId, 0, 10));
        await AssertForbidden(() => sealedPage.GetMessages(cat.UserId));

        var history = await reader.Read(bob.UserId, new HistoryQuery(After: 0, Before: null, Limit: 50));
        Assert.Equal(Enumerable.Range(1, HistoryPaging.PageCapacity + 1).Select(seq => (long)seq), history.Messages.Select(message => message.Seq));
        Assert.All(history.Messages, message => Assert.Equal((ann.Username, bob.Username), (message.From, message.To)));
    }

    [Fact]
    public async Task MessageToUnknownUser_NotFound_AndListedNowhere()
    {
        var ann = await RegisterAsync("Ann");
        var nobody = new UserIdentity(Unique.Name("nobody"), "Nobody");
        var direct = Direct(ann, nobody);

        var error = await Assert.ThrowsAsync<ChatException>(() => direct.Send(ann.UserId, "anyone there?", null));
        var readError = await Assert.ThrowsAsync<ChatException>(() => direct.GetHead(ann.UserId));

        Assert.Equal((ChatErrorCode.NotFound, ChatErrorCode.NotFound), (error.Code, readError.Code));
        Assert.Empty(await User(ann).GetConversations());
    }

    [Fact]
    public async Task ConversationNeverStarted_ReadsAsEmpty()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");

        var head = await Direct(ann, bob).GetHead(ann.UserId);

        Assert.Equal((0, 0), (head.LastSeq, head.Messages.Count));
    }

    [Fact]
    public async Task Blocking_StopsMessagesBothWays_UntilUnblocked()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);
        await direct.Send(bob.UserId, "hello", null);

        Assert.Equal(bob, await direct.SetBlocked(ann.UserId, true));
        var fromBob = await Assert.ThrowsAsync<ChatException>(() => direct.Send(bob.UserId, "are you there?", null));
        var fromAnn = await Assert.ThrowsAsync<ChatException>(() => direct.Send(ann.UserId, "oops", null));
        var annSees = await User(ann).GetConversations();
        var bobSees = await User(bob).GetConversations();
        await direct.SetBlocked(ann.UserId, false);
        var afterUnblock = await direct.Send(bob.UserId, "friends again", null);

        Assert.Equal((ChatErrorCode.Forbidden, $"{ann.Username} does not accept direct messages from you"), (fromBob.Code, fromBob.Message));
        Assert.Equal(ChatErrorCode.Forbidden, fromAnn.Code);
        Assert.Equal([new ConversationSummary(bob.Username, 1, Blocked: true)], annSees);
        Assert.Equal([new ConversationSummary(ann.Username, 1, Blocked: false)], bobSees);
        Assert.Equal(2, afterUnblock.Seq);
        Assert.Equal([new ConversationSummary(bob.Username, 2, Blocked: false)], await User(ann).GetConversations());
    }

    [Fact]
    public async Task WhileBlocked_OldMessagesCannotBeEdited_IntoNewText()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);
        await direct.Send(ann.UserId, "before the block", null);

        await direct.SetBlocked(bob.UserId, true);
        var edit = await Assert.ThrowsAsync<ChatException>(() => direct.Edit(ann.UserId, 1, "sneaking in"));
        var delete = await direct.Delete(ann.UserId, 1);

        Assert.Equal(ChatErrorCode.Forbidden, edit.Code);
        Assert.True(delete.Deleted);
    }

    [Fact]
    public async Task UnblockingSomeoneNeverBlocked_ChangesNothing()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var writesBefore = fixture.Storage.WritesOf<DirectPairState>();

        Assert.Equal(bob, await Direct(ann, bob).SetBlocked(ann.UserId, false));

        Assert.Empty(await User(ann).GetConversations());
        Assert.Equal(writesBefore, fixture.Storage.WritesOf<DirectPairState>());
    }

    [Fact]
    public async Task BlockingSomeoneNeverTalkedTo_ListsThemForTheBlockerOnly()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");

        await Direct(ann, bob).SetBlocked(ann.UserId, true);
        var error = await Assert.ThrowsAsync<ChatException>(() => Direct(ann, bob).Send(bob.UserId, "hi", null));

        Assert.Equal(ChatErrorCode.Forbidden, error.Code);
        Assert.Equal([new ConversationSummary(bob.Username, 0, Blocked: true)], await User(ann).GetConversations());
        Assert.Empty(await User(bob).GetConversations());
    }

    [Fact]
    public async Task AMessage_WritesOnlyTheHead_OnceTheConversationHasStarted()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);
        await direct.Send(ann.UserId, "starts it", null);
        var before = (Head: fixture.Storage.WritesOf<GroupHeadState>(), Pair: fixture.Storage.WritesOf<DirectPairState>(), Lists: fixture.Storage.WritesOf<UserConversationsState>());

        await direct.Send(bob.UserId, "one write", null);

        var after = (Head: fixture.Storage.WritesOf<GroupHeadState>(), Pair: fixture.Storage.WritesOf<DirectPairState>(), Lists: fixture.Storage.WritesOf<UserConversationsState>());
        Assert.Equal(before with { Head = before.Head + 1 }, after);
    }

    [Fact]
    public async Task Send_EmitsTheStoredMessageOnTheConversationsStream()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var key = ConversationKey.Between(ann.UserId, bob.UserId).ToGrainKey();
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, key);

        var receipt = await Direct(ann, bob).Send(ann.UserId, "on the stream", "x1");
        var stored = await events.NextAsync<MessagesStored>();

        var message = Assert.Single(stored.Messages);
        Assert.Equal((receipt.Seq, receipt.Ts, ann.UserId, ann.Username, bob.Username, "on the stream", "x1"),
            (message.Seq, message.Ts, message.FromUserId, message.From, message.To, message.Text, message.ClientMsgId));
    }

    /// <summary>A sender at the limit is refused before anything is listed; a peer at the limit leaves the sender an empty conversation.</summary>
    [Fact]
    public async Task ConversationsPastTheLimit_RateLimited_ForEitherSide()
    {
        var ann = await RegisterAsync("Ann");
        var others = new List<UserIdentity>();
        for (var i = 0; i < ClusterFixture.ConversationsPerUser; i++)
        {
            var other = await RegisterAsync("Peer");
            others.Add(other);
            await Direct(ann, other).Send(ann.UserId, "hi", null);
        }

        var late = await RegisterAsync("Late");
        var fromAnn = await Assert.ThrowsAsync<ChatException>(() => Direct(ann, late).Send(ann.UserId, "one too many", null));
        var toAnn = await Assert.ThrowsAsync<ChatException>(() => Direct(ann, late).Send(late.UserId, "one too many", null));

        Assert.Equal((ChatErrorCode.RateLimited, ChatErrorCode.RateLimited), (fromAnn.Code, toAnn.Code));
        Assert.Equal(ClusterFixture.ConversationsPerUser, (await User(ann).GetConversations()).Count);
        Assert.Equal([new ConversationSummary(ann.Username, 0, Blocked: false)], await User(late).GetConversations());
        Assert.Equal(2, (await Direct(ann, others[0]).Send(others[0].UserId, "existing ones go on", null)).Seq);
    }

    private IUserGrain User(UserIdentity user) => fixture.User(user);

    private Task<UserIdentity> RegisterAsync(string prefix) => fixture.RegisterAsync(prefix);

    private IDirectGrain Direct(UserIdentity one, UserIdentity other) =>
        fixture.Client.GetGrain<IDirectGrain>(ConversationKey.Between(one.UserId, other.UserId).ToGrainKey());

    private static async Task AssertForbidden(Func<Task> call) =>
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(call)).Code);
}
