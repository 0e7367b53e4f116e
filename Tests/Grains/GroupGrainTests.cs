using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class GroupGrainTests(ClusterFixture fixture)
{
    private static readonly string[] Members = ["ann", "bob", "cat"];

    [Fact]
    public async Task Join_CreatesGroupAndListsMember()
    {
        var (group, name) = NewGroup();

        var outcome = await group.Join("ann", "Ann", online: true);

        Assert.Equal(0, outcome.LastSeq);
        Assert.False(outcome.WasMember);
        Assert.Equal([new MemberInfo("ann", "Ann", true, GroupRole.Owner)], outcome.Members);
        Assert.True((await group.Join("ann", "Ann", online: true)).WasMember);
        Assert.Equal(0, await fixture.Client.GetGrain<IGroupGrain>(name).GetLastSeq("ann"));
    }

    [Fact]
    public async Task MissingGroup_NotFound_NonMember_Forbidden()
    {
        var (group, _) = NewGroup();

        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => group.Publish("ann", "hi", null))).Code);
        await group.Join("ann", "Ann", online: false);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.Publish("bob", "hi", null))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.GetMembers("bob"))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.Leave("bob"))).Code);
    }

    /// <summary>A cluster client with no gateway in front gets nothing of a group it is not in.</summary>
    [Fact]
    public async Task EveryReadOfGroupData_ChecksMembershipInTheGrain()
    {
        var (group, _) = NewGroup();
        await group.Join("ann", "Ann", online: false);
        await group.Publish("ann", "hi", null);

        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.GetLastSeq("bob"))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.GetHead("bob"))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.RequireMember("bob"))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.Typing("bob"))).Code);
        Assert.Equal(1, (await group.GetHead("ann")).LastSeq);
        await group.RequireMember("ann");
    }

    [Fact]
    public async Task Leave_EndsMembershipButKeepsGroup()
    {
        var (group, _) = NewGroup();
        await group.Join("ann", "Ann", online: false);
        await group.Publish("ann", "hi", null);

        await group.Leave("ann");

        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => group.Publish("ann", "hi", null))).Code);
        Assert.Equal(1, (await group.Join("ann", "Ann", online: false)).LastSeq);
    }

    [Fact]
    public async Task Publish_SeqStartsAtOneAndGrowsByOne()
    {
        var (group, _) = NewGroup();
        await group.Join("ann", "Ann", online: false);

        var seqs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            seqs.Add((await group.Publish("ann", $"m{i}", null)).Seq);
        }

        Assert.Equal([1, 2, 3, 4, 5], seqs);
    }

    [Fact]
    public async Task ConcurrentPublishes_GroupCommittedInFewWrites_EverySeqOnce()
    {
        const int Publishes = 120;
        var (group, _) = NewGroup();
        foreach (var member in Members)
        {
            await group.Join(member, member, online: false);
        }

        fixture.Storage.WriteLatency = TimeSpan.FromMilliseconds(20);
        var writesBefore = fixture.Storage.WritesOf<GroupHeadState>();
        PublishReceipt[] receipts;
        try
        {
            receipts = await Task.WhenAll(Enumerable.Range(0, Publishes).Select(i => group.Publish(Members[i % Members.Length], $"m{i}", null)));
        }
        finally
        {
            fixture.Storage.WriteLatency = TimeSpan.Zero;
        }

        var writes = fixture.Storage.WritesOf<GroupHeadState>() - writesBefore;
        Assert.Equal(Enumerable.Range(1, Publishes).Select(i => (long)i), receipts.Select(r => r.Seq).Order());
        // Without batching this would take one write per publish; a page's room bounds a batch.
        Assert.InRange(writes, 2, Publishes / 4);
    }

    [Fact]
    public async Task RepeatedClientMsgId_StoredOnceEvenWhileFirstIsPending()
    {
        var (group, _) = NewGroup();
        await group.Join("ann", "Ann", online: false);

        var both = await Task.WhenAll(group.Publish("ann", "first", "c1"), group.Publish("ann", "retry", "c1"));
        var later = await group.Publish("ann", "again", "c1");

        Assert.Equal(both[0], both[1]);
        Assert.Equal(both[0], later);
        Assert.Equal(1, await group.GetLastSeq("ann"));
    }

    [Fact]
    public async Task ClientMsgId_RememberedAcrossReactivation_ForgottenAfter1000Newer()
    {
        var (group, _) = NewGroup();
        await group.Join("ann", "Ann", online: false);
        var first = await group.Publish("ann", "first", "keep");
        await Task.WhenAll(Enumerable.Range(0, 998).Select(i => group.Publish("ann", $"filler {i}", null)));

        await fixture.Cluster.DeactivateAsync(group);
        var retryAfterReactivation = await group.Publish("ann", "retry", "keep");
        await group.Publish("ann", "the 1000th message", null);
        var retryAtEdge = await group.Publish("ann", "retry", "keep");
        await group.Publish("ann", "pushes the first one out", null);
        var retryOutside = await group.Publish("ann", "retry again", "keep");

        Assert.Equal(first, retryAfterReactivation);
        Assert.Equal(first, retryAtEdge);
        Assert.Equal(1002, retryOutside.Seq);
    }

    [Fact]
    public async Task Publish_EmitsStoredMessagesOnTheStream()
    {
        var (group, name) = NewGroup();
        await group.Join("ann", "Ann", online: false);
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, name);

        var receipt = await group.Publish("ann", "on the stream", "x1");
        var stored = await events.NextAsync<MessagesStored>();

        var message = Assert.Single(stored.Messages);
        Assert.Equal((receipt.Seq, receipt.Ts, "Ann", "on the stream", "x1"), (message.Seq, message.Ts, message.From, message.Text, message.ClientMsgId));
    }

    [Fact]
    public async Task UserJoinGroup_RecordsMembershipOnBothSides()
    {
        var username = Unique.Name("User");
        var user = fixture.Client.GetGrain<IUserGrain>(username.ToLowerInvariant());
        await user.Register(username, "long enough password");
        var (_, name) = NewGroup();

        await user.JoinGroup(name);

        Assert.Equal([new GroupSummary(name, 0)], await user.GetGroups());
        var members = await fixture.Client.GetGrain<IGroupGrain>(name).GetMembers(username.ToLowerInvariant());
        Assert.Equal(username, Assert.Single(members).Username);
        await user.LeaveGroup(name);
        Assert.Empty(await user.GetGroups());
    }

    private (IGroupGrain Grain, string Name) NewGroup()
    {
        var name = Unique.Name("grp");
        return (fixture.Client.GetGrain<IGroupGrain>(name), name);
    }
}
