using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Rules;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RecentClientMessageIdsTests
{
    private readonly RecentClientMessageIds _ids = new();

    [Fact]
    public async Task StoredId_AnswersARetryWithTheFirstReceipt()
    {
        _ids.Stored(Message(7, "alice", "m-1"), lastSeq: 7);

        Assert.True(_ids.TryGet("alice", "m-1", out var receipt));
        Assert.Equal(7, (await receipt).Seq);
        Assert.False(_ids.TryGet("bob", "m-1", out _));
    }

    [Fact]
    public void PendingId_AnswersARetryWhileTheFirstIsBeingWritten_UntilRemoved()
    {
        var pending = new TaskCompletionSource<PublishReceipt>();
        _ids.AddPending("alice", "m-1", pending.Task);

        Assert.True(_ids.TryGet("alice", "m-1", out var receipt));
        Assert.Same(pending.Task, receipt);
        _ids.RemovePending("alice", "m-1");
        Assert.False(_ids.TryGet("alice", "m-1", out _));
    }

    [Fact]
    public void IdOlderThanTheWindow_Forgotten()
    {
        _ids.Stored(Message(1, "alice", "old"), lastSeq: 1);
        _ids.Stored(Message(2, "alice", null), lastSeq: ChatLimits.IdempotencyWindow);
        Assert.True(_ids.TryGet("alice", "old", out _));

        _ids.Stored(Message(ChatLimits.IdempotencyWindow + 1, "alice", "new"), lastSeq: ChatLimits.IdempotencyWindow + 1);

        Assert.False(_ids.TryGet("alice", "old", out _));
        Assert.True(_ids.TryGet("alice", "new", out _));
    }

    [Fact]
    public async Task IdUsedAgainLater_OlderUseLeavingTheWindow_KeepsTheNewerOne()
    {
        _ids.Stored(Message(1, "alice", "m"), lastSeq: 1);
        _ids.Stored(Message(500, "alice", "m"), lastSeq: 500);

        _ids.Stored(Message(ChatLimits.IdempotencyWindow + 1, "bob", null), lastSeq: ChatLimits.IdempotencyWindow + 1);

        Assert.True(_ids.TryGet("alice", "m", out var receipt));
        Assert.Equal(500, (await receipt).Seq);
    }

    private static ChatMessage Message(long seq, string userId, string? clientMsgId) =>
        new(seq, userId, userId, "text", DateTime.UnixEpoch, clientMsgId);
}
