using OrleansChat.History;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class HistoryRangeTests
{
    [Theory]
    [InlineData(null, null, 50, 0, 1, 0, false)]
    [InlineData(null, null, 50, 10, 1, 10, false)]
    [InlineData(null, null, 5, 10, 6, 10, true)]
    [InlineData(3L, null, 5, 10, 4, 8, true)]
    [InlineData(8L, null, 5, 10, 9, 10, false)]
    [InlineData(10L, null, 5, 10, 11, 10, false)]
    [InlineData(null, 1L, 5, 10, 1, 0, false)]
    [InlineData(null, 99L, 5, 10, 6, 10, true)]
    [InlineData(2L, 6L, 50, 10, 3, 5, false)]
    [InlineData(2L, 6L, 2, 10, 3, 4, true)]
    public void Resolve_PicksTheProtocolsRange(long? after, long? before, int limit, long lastSeq, long from, long to, bool more)
    {
        var range = HistoryRange.Resolve(new HistoryQuery(after, before, limit), lastSeq);

        Assert.Equal((from, to, more), (range.From, range.To, range.More));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(32, 0)]
    [InlineData(33, 1)]
    [InlineData(64, 1)]
    [InlineData(65, 2)]
    public void PageOf_PageNHoldsSeqsAfterNTimesCapacity(long seq, long page) =>
        Assert.Equal(page, HistoryPaging.PageOf(seq));

    [Fact]
    public void PageKey_NamesGroupAndIndex() =>
        Assert.Equal("general/3", new HistoryPageKey("general", 3).ToGrainKey());
}
