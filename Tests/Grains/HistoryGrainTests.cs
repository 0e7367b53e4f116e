using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class HistoryGrainTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(null, null, 50, 151, 200, true)]
    [InlineData(0L, null, 200, 1, 200, false)]
    [InlineData(60L, null, 10, 61, 70, true)]
    [InlineData(null, 130L, 5, 125, 129, true)]
    [InlineData(120L, 140L, 200, 121, 139, false)]
    [InlineData(63L, 66L, 200, 64, 65, false)]
    [InlineData(null, 3L, 10, 1, 2, false)]
    public async Task ReadAcrossPageBoundaries_ExactRange(long? after, long? before, int limit, long from, long to, bool more)
    {
        var name = await GroupWithMessages(200);

        var result = await fixture.Client.GetGrain<IHistoryReaderGrain>(name).Read("ann", new HistoryQuery(after, before, limit));

        Assert.Equal(Seqs(from, to), result.Messages.Select(m => m.Seq));
        Assert.Equal(result.Messages.Select(m => $"m{m.Seq}"), result.Messages.Select(m => m.Text));
        Assert.Equal(more, result.More);
    }

    [Fact]
    public async Task SealedPagesSurviveReactivation()
    {
        var name = await GroupWithMessages(140);
        await fixture.Cluster.DeactivateAsync(fixture.Client.GetGrain<IGroupGrain>(name));

        var result = await fixture.Client.GetGrain<IHistoryReaderGrain>(name).Read("ann", new HistoryQuery(0, null, 200));

        Assert.Equal(Seqs(1, 140), result.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task EveryPublishWritesOnlyTheNewestPage()
    {
        var name = await GroupWithMessages(1);
        var group = fixture.Client.GetGrain<IGroupGrain>(name);
        var membersBefore = fixture.Storage.WritesOf<GroupMembersState>();
        var pagesBefore = fixture.Storage.WritesOf<HistoryPageState>();

        // With the one message already stored, these fill the first page and spill into the second.
        for (var i = 0; i < HistoryPaging.PageCapacity + 6; i++)
        {
            await group.Publish("ann", "one at a time", null);
        }

        Assert.Equal(membersBefore, fixture.Storage.WritesOf<GroupMembersState>());
        Assert.Equal(pagesBefore + 1, fixture.Storage.WritesOf<HistoryPageState>());
    }

    [Fact]
    public async Task NonMember_Forbidden()
    {
        var name = await GroupWithMessages(1);

        var error = await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IHistoryReaderGrain>(name).Read("mallory", new HistoryQuery(null, null, 10)));

        Assert.Equal(ChatErrorCode.Forbidden, error.Code);
    }

    [Fact]
    public async Task ReadRange_ForGapRepair()
    {
        var name = await GroupWithMessages(100);

        var range = await fixture.Client.GetGrain<IHistoryReaderGrain>(name).ReadRange("ann", 50, 70);

        Assert.Equal(Seqs(51, 70), range.Select(m => m.Seq));
    }

    [Fact]
    public async Task ReadRangeAndSealedPages_NonMember_Forbidden()
    {
        var name = await GroupWithMessages(HistoryPaging.PageCapacity + 1);
        var sealedPage = fixture.Client.GetGrain<IHistoryPageGrain>(new HistoryPageKey(name, 0).ToGrainKey());

        var range = await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IHistoryReaderGrain>(name).ReadRange("mallory", 0, 10));
        var page = await Assert.ThrowsAsync<ChatException>(() => sealedPage.GetMessages("mallory"));

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.Forbidden), (range.Code, page.Code));
        Assert.Equal(HistoryPaging.PageCapacity, (await sealedPage.GetMessages("ann")).Count);
    }

    private async Task<string> GroupWithMessages(int count)
    {
        var name = Unique.Name("hist");
        var group = fixture.Client.GetGrain<IGroupGrain>(name);
        await group.Join("ann", "Ann", online: false);
        for (var i = 1; i <= count; i++)
        {
            await group.Publish("ann", $"m{i}", null);
        }

        return name;
    }

    private static IEnumerable<long> Seqs(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i);
}
