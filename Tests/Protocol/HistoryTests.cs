using OrleansChat.Client;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>One group with 150 messages (more than two pages of storage), read in every direction.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HistoryTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const int Count = 150;
    private ChatSocket _socket = null!;
    private string _group = "";

    public async Task InitializeAsync()
    {
        (_socket, _) = await fixture.Host.LoggedInAsync();
        _group = Unique.Name("hist");
        await _socket.JoinAsync(_group);
        await Task.WhenAll(Enumerable.Range(1, Count).Select(i => _socket.OkAsync(new { type = "publish", group = _group, text = $"m{i}", clientMsgId = $"c{i}" })));
    }

    public async Task DisposeAsync() => await _socket.DisposeAsync();

    [Fact]
    public async Task NoBounds_Newest50Ascending_MoreTrue()
    {
        var (seqs, more) = await History(new { });

        Assert.Equal(Range(101, 150), seqs);
        Assert.True(more);
    }

    [Fact]
    public async Task After_OldestAboveIt()
    {
        var (seqs, more) = await History(new { after = 60, limit = 10 });

        Assert.Equal(Range(61, 70), seqs);
        Assert.True(more);
    }

    [Fact]
    public async Task AfterNearEnd_RestAndMoreFalse()
    {
        var (seqs, more) = await History(new { after = 140, limit = 50 });

        Assert.Equal(Range(141, 150), seqs);
        Assert.False(more);
    }

    [Fact]
    public async Task AfterLast_EmptyAndMoreFalse()
    {
        var (seqs, more) = await History(new { after = 150 });

        Assert.Empty(seqs);
        Assert.False(more);
    }

    [Fact]
    public async Task Before_NewestBelowIt_AcrossPageBoundary()
    {
        var (seqs, more) = await History(new { before = 70, limit = 10 });

        Assert.Equal(Range(60, 69), seqs);
        Assert.True(more);
    }

    [Fact]
    public async Task BeforeNearStart_RestAndMoreFalse()
    {
        var (seqs, more) = await History(new { before = 5, limit = 10 });

        Assert.Equal(Range(1, 4), seqs);
        Assert.False(more);
    }

    [Fact]
    public async Task AfterAndBefore_OldestBetween()
    {
        var (seqs, more) = await History(new { after = 10, before = 20, limit = 5 });

        Assert.Equal(Range(11, 15), seqs);
        Assert.True(more);
        var (all, moreAfterAll) = await History(new { after = 10, before = 20 });
        Assert.Equal(Range(11, 19), all);
        Assert.False(moreAfterAll);
    }

    [Fact]
    public async Task LimitAbove200_TreatedAs200()
    {
        var (seqs, more) = await History(new { after = 0, limit = 100000 });

        Assert.Equal(Range(1, 150), seqs);
        Assert.False(more);
    }

    [Fact]
    public async Task MessagesHaveTheEventsFields()
    {
        var reply = await _socket.OkAsync(new { type = "history", group = _group, after = 0, limit = 1 });
        var message = Assert.Single(reply.GetProperty("messages").EnumerateArray());

        Assert.Equal(_group, reply.Str("group"));
        Assert.Equal("message", message.Type());
        Assert.Equal(_group, message.Str("group"));
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal("m1", message.Str("text"));
        Assert.Equal("c1", message.Str("clientMsgId"));
        Assert.False(string.IsNullOrEmpty(message.Str("from")));
        Assert.Matches(HttpEndpointTests.TimestampFormat(), message.Str("ts"));
    }

    [Theory]
    [InlineData("\"limit\":0")]
    [InlineData("\"limit\":-3")]
    [InlineData("\"limit\":1.5")]
    [InlineData("\"after\":-1")]
    [InlineData("\"before\":\"10\"")]
    public async Task InvalidBounds_BadRequest(string field)
    {
        await _socket.SendTextAsync($$"""{"type":"history","id":"h","group":"{{_group}}",{{field}}}""");
        var reply = await _socket.NextFrameAsync(frame => frame.Type() == "error");

        Assert.Equal("bad_request", reply.Str("code"));
    }

    private async Task<(List<long> Seqs, bool More)> History(object bounds)
    {
        var request = JsonSerializer.SerializeToNode(bounds)!.AsObject();
        request["type"] = "history";
        request["group"] = _group;
        var reply = await _socket.OkAsync(request);
        var seqs = reply.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();
        return (seqs, reply.GetProperty("more").GetBoolean());
    }

    private static List<long> Range(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i).ToList();
}
