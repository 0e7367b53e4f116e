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

    /// <summary>The first reply turns the request into the replier's own conversation: one list write and one pair write, once.</summary>
    [Fact]
    public async Task AMessage_WritesOnlyTheHead_OnceBothHaveWritten()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);
        await direct.Send(ann.UserId, "starts it", null);
        var beforeReply = Writes();

        await direct.Send(bob.UserId, "the reply", null);
        var afterReply = Writes();
        await direct.Send(bob.UserId, "one write", null);
        await direct.Send(ann.UserId, "one write too", null);

        Assert.Equal((beforeReply.Head + 1, beforeReply.Pair + 1, beforeReply.Lists + 1), afterReply);
        Assert.Equal(afterReply with { Head = afterReply.Head + 2 }, Writes());
    }

    private (int Head, int Pair, int Lists) Writes() =>
        (fixture.Storage.WritesOf<GroupHeadState>(), fixture.Storage.WritesOf<DirectPairState>(), fixture.Storage.WritesOf<UserConversationsState>());

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

    /// <summary>
    /// Only conversations the user writes in count against the limit: past it the user cannot start or answer one
    /// (refused before anything is listed), while others can still write to them, as requests.
    /// </summary>
    [Fact]
    public async Task OwnConversationsPastTheLimit_RateLimited_RequestsStillArrive()
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
        var toAnn = await Direct(ann, late).Send(late.UserId, "a request", null);
        var answer = await Assert.ThrowsAsync<ChatException>(() => Direct(ann, late).Send(ann.UserId, "answering it", null));

        Assert.Equal((ChatErrorCode.RateLimited, ChatErrorCode.RateLimited), (fromAnn.Code, answer.Code));
        Assert.Contains("forget one", answer.Message);
        Assert.Equal(1, toAnn.Seq);
        Assert.Equal(new ConversationSummary(late.Username, 1, Blocked: false, Request: true), (await User(ann).GetConversations()).Single(c => c.With == late.Username));
        Assert.Equal([new ConversationSummary(ann.Username, 1, Blocked: false)], await User(late).GetConversations());
        Assert.Equal(2, (await Direct(ann, others[0]).Send(others[0].UserId, "existing ones go on", null)).Seq);

        await User(ann).ForgetConversation(others[0].UserId);
        Assert.Equal(2, (await Direct(ann, late).Send(ann.UserId, "answering it", null)).Seq);
        Assert.DoesNotContain(await User(ann).GetConversations(), conversation => conversation.Request);
    }

    /// <summary>Many accounts writing to one user push out only older requests, never the user's own conversations.</summary>
    [Fact]
    public async Task RequestsPastTheirBound_PushOutTheOldest()
    {
        var ann = await RegisterAsync("Ann");
        var friend = await RegisterAsync("Friend");
        await Direct(ann, friend).Send(ann.UserId, "mine", null);
        var strangers = new List<UserIdentity>();
        for (var i = 0; i <= ClusterFixture.MessageRequestsPerUser; i++)
        {
            var stranger = await RegisterAsync("Stranger");
            strangers.Add(stranger);
            await Direct(ann, stranger).Send(stranger.UserId, "buy now", null);
        }

        var listed = await User(ann).GetConversations();
        await Direct(ann, strangers[0]).Send(strangers[0].UserId, "again", null);
        var relisted = await User(ann).GetConversations();

        Assert.Equal(
            new[] { friend, strangers[1], strangers[2] }.Select(user => user.Username).Order(StringComparer.Ordinal),
            listed.Select(conversation => conversation.With).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { friend, strangers[0], strangers[2] }.Select(user => user.Username).Order(StringComparer.Ordinal),
            relisted.Select(conversation => conversation.With).Order(StringComparer.Ordinal));
        Assert.Equal(new ConversationSummary(strangers[0].Username, 2, Blocked: false, ReadSeq: 1, Request: true), relisted.Single(c => c.With == strangers[0].Username));
        Assert.Equal(2, (await Direct(ann, strangers[0]).GetHead(ann.UserId)).Messages.Count);
    }

    /// <summary>Forgetting takes the conversation off the list and keeps its history; the other user's next message lists it again as a request.</summary>
    [Fact]
    public async Task Forget_DropsTheConversationFromTheList_UntilTheOtherWritesAgain()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var direct = Direct(ann, bob);
        await direct.Send(ann.UserId, "hello", null);
        await direct.Send(bob.UserId, "hi", null);
        await User(ann).MarkRead(ConversationKey.Between(ann.UserId, bob.UserId).ToGrainKey(), 1);

        Assert.Equal(bob, await User(ann).ForgetConversation(bob.UserId));
        var afterForget = await User(ann).GetConversations();
        var history = await direct.GetHead(ann.UserId);
        Assert.Equal(bob, await User(ann).ForgetConversation(bob.UserId));
        await direct.Send(bob.UserId, "still there?", null);

        Assert.Empty(afterForget);
        Assert.Equal(2, history.Messages.Count);
        Assert.Equal([new ConversationSummary(bob.Username, 3, Blocked: false, ReadSeq: 2, Request: true)], await User(ann).GetConversations());
        Assert.Equal([new ConversationSummary(ann.Username, 3, Blocked: false)], await User(bob).GetConversations());
    }

    /// <summary>Blocking a stranger who wrote is never refused by the limit: the request becomes the user's own, and the list does not grow.</summary>
    [Fact]
    public async Task BlockingARequest_AtTheLimit_TurnsItIntoTheUsersOwn()
    {
        var ann = await RegisterAsync("Ann");
        for (var i = 0; i < ClusterFixture.ConversationsPerUser; i++)
        {
            await Direct(ann, await RegisterAsync("Peer")).Send(ann.UserId, "hi", null);
        }

        var stranger = await RegisterAsync("Stranger");
        await Direct(ann, stranger).Send(stranger.UserId, "spam", null);
        await Direct(ann, stranger).SetBlocked(ann.UserId, true);
        var unrelated = await RegisterAsync("Unrelated");
        var blockingSomeoneNew = await Assert.ThrowsAsync<ChatException>(() => Direct(ann, unrelated).SetBlocked(ann.UserId, true));

        Assert.Equal(new ConversationSummary(stranger.Username, 1, Blocked: true), (await User(ann).GetConversations()).Single(c => c.With == stranger.Username));
        Assert.Equal(ChatErrorCode.RateLimited, blockingSomeoneNew.Code);
    }

    /// <summary>A pair stored before message requests counts both users as listed, and says so in its own terms from its first write on.</summary>
    [Fact]
    public async Task PairFromBeforeRequests_BothListed_UntilItsFirstWrite()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        var key = ConversationKey.Between(ann.UserId, bob.UserId).ToGrainKey();
        var pairId = GrainId.Create("direct", key);
        await fixture.Storage.WriteStateAsync("pair", pairId, new GrainState<DirectPairState>(new DirectPairState
        {
            Introduced = true,
            Usernames = { [ann.UserId] = ann.Username, [bob.UserId] = bob.Username },
        }));
        await User(ann).AddConversation(new ConversationListing(bob.UserId, bob.Username, Request: false, ReadThrough: 0));
        await User(bob).AddConversation(new ConversationListing(ann.UserId, ann.Username, Request: false, ReadThrough: 0));
        var listWrites = fixture.Storage.WritesOf<UserConversationsState>();

        await Direct(ann, bob).Send(bob.UserId, "from before", null);
        var afterMessage = fixture.Storage.WritesOf<UserConversationsState>();
        await User(ann).ForgetConversation(bob.UserId);
        var stored = new GrainState<DirectPairState>();
        await fixture.Storage.ReadStateAsync("pair", pairId, stored);

        Assert.Equal(listWrites, afterMessage);
        Assert.False(stored.State!.Introduced);
        Assert.Equal([bob.UserId], stored.State.ListedBy);
    }

    [Fact]
    public async Task Forget_WhileBlocking_Conflict_OfNobody_NotFound()
    {
        var ann = await RegisterAsync("Ann");
        var bob = await RegisterAsync("Bob");
        await Direct(ann, bob).SetBlocked(ann.UserId, true);

        var blocked = await Assert.ThrowsAsync<ChatException>(() => User(ann).ForgetConversation(bob.UserId));
        var nobody = await Assert.ThrowsAsync<ChatException>(() => User(ann).ForgetConversation("nobody-" + Guid.NewGuid().ToString("N")));

        Assert.Equal((ChatErrorCode.Conflict, ChatErrorCode.NotFound), (blocked.Code, nobody.Code));
        Assert.Equal([new ConversationSummary(bob.Username, 0, Blocked: true)], await User(ann).GetConversations());
    }

    private IUserGrain User(UserIdentity user) => fixture.User(user);

    private Task<UserIdentity> RegisterAsync(string prefix) => fixture.RegisterAsync(prefix);

    private IDirectGrain Direct(UserIdentity one, UserIdentity other) =>
        fixture.Client.GetGrain<IDirectGrain>(ConversationKey.Between(one.UserId, other.UserId).ToGrainKey());

    private static async Task AssertForbidden(Func<Task> call) =>
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(call)).Code);
}
