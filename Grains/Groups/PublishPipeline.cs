using Microsoft.Extensions.Logging;
using OrleansChat.History;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// Stores a conversation's messages (a group's or a direct conversation's): group commit into the newest page
/// of history (the head), sealing full pages into page grains, and recognising a client's retry of a publish by
/// its clientMsgId. Each publish is answered once its message is durable; a failed write answers unavailable and
/// stores nothing.
/// </summary>
internal sealed class PublishPipeline(
    string conversation,
    IPersistentState<GroupHeadState> head,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger logger,
    Func<IReadOnlyList<ChatMessage>, Task> onStored,
    Action onWriteUncertain)
{
    private readonly Queue<PendingPublish> _pending = new();
    private bool _writing;
    private Task<RecentClientMessageIds>? _recentIds;

    public long LastSeq => head.State.LastSeq;

    public HeadPage Head => new(head.State.PageIndex, head.State.Messages.ToArray(), head.State.LastSeq);

    /// <remarks><paramref name="to"/>: a direct message's recipient, stored with it (null in a group).</remarks>
    public async Task<PublishReceipt> PublishAsync(string userId, string username, string text, string? clientMsgId, string? to)
    {
        RecentClientMessageIds? recentIds = null;
        if (clientMsgId is not null)
        {
            recentIds = await RecentClientMessageIds(userId);
            if (recentIds.TryGet(userId, clientMsgId, out var earlier))
            {
                return await earlier;
            }
        }

        var publish = new PendingPublish(userId, username, text, clientMsgId, to);
        if (clientMsgId is not null)
        {
            recentIds!.AddPending(userId, clientMsgId, publish.Receipt);
        }

        _pending.Enqueue(publish);
        if (!_writing)
        {
            WriteQueuedMessages().Ignore();
        }

        return await publish.Receipt;
    }

    /// <summary>
    /// Group commit: one loop writes whatever publishes queued up while the previous write was in flight,
    /// as one storage write, and answers each of them once that write is durable.
    /// </summary>
    private async Task WriteQueuedMessages()
    {
        _writing = true;
        try
        {
            while (_pending.Count > 0)
            {
                await WriteOneBatch();
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task WriteOneBatch()
    {
        var before = head.State;
        try
        {
            if (before.IsFull)
            {
                await SealPage(before);
            }

            var page = before.IsFull ? new GroupHeadState { PageIndex = before.PageIndex + 1 } : before;
            var batch = new List<PendingPublish>();
            while (batch.Count < page.Room && _pending.TryDequeue(out var publish))
            {
                batch.Add(publish);
            }

            var ts = clock.UtcNowToMillisecond();
            var stored = batch
                .Select((publish, i) => new ChatMessage(page.LastSeq + i + 1, publish.UserId, publish.Username, publish.Text, ts, publish.ClientMsgId, publish.To))
                .ToList();
            head.State = new GroupHeadState { PageIndex = page.PageIndex, Messages = [.. page.Messages, .. stored] };
            await WriteHead(before, batch);

            var recentIds = _recentIds is { IsCompletedSuccessfully: true } ? _recentIds.Result : null;
            foreach (var (publish, message) in batch.Zip(stored))
            {
                recentIds?.Stored(message, head.State.LastSeq);
                publish.Stored(new PublishReceipt(message.Seq, message.Ts));
            }

            await onStored(stored);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Storing messages of {Conversation} failed", conversation);
            FailAllPending();
        }
    }

    private async Task WriteHead(GroupHeadState before, List<PendingPublish> batch)
    {
        try
        {
            await head.WriteStateAsync();
        }
        catch
        {
            head.State = before;
            foreach (var publish in batch)
            {
                Abandon(publish);
            }

            // The write may have reached storage after all; the true state must be read again before the next write.
            onWriteUncertain();
            throw;
        }
    }

    private Task SealPage(GroupHeadState full) =>
        grains.GetGrain<IHistoryPageGrain>(new HistoryPageKey(conversation, full.PageIndex).ToGrainKey()).Seal(full.Messages.ToArray());

    private void FailAllPending()
    {
        while (_pending.TryDequeue(out var publish))
        {
            Abandon(publish);
        }
    }

    private void Abandon(PendingPublish publish)
    {
        if (publish.ClientMsgId is { } clientMsgId && _recentIds is { IsCompletedSuccessfully: true } recentIds)
        {
            recentIds.Result.RemovePending(publish.UserId, clientMsgId);
        }

        publish.Failed(Fail.Unavailable("the message could not be stored; retry"));
    }

    /// <summary>The idempotency window, loaded on behalf of the member publishing (its pages check membership).</summary>
    private async Task<RecentClientMessageIds> RecentClientMessageIds(string userId)
    {
        try
        {
            return await (_recentIds ??= LoadRecentClientMessageIds(userId));
        }
        catch (Exception ex)
        {
            _recentIds = null;
            logger.LogWarning(ex, "Could not load recent clientMsgIds of {Conversation}", conversation);
            throw Fail.Unavailable("history is not readable right now; retry");
        }
    }

    /// <summary>Rebuilds the idempotency window from the newest pages, once per activation.</summary>
    private async Task<RecentClientMessageIds> LoadRecentClientMessageIds(string userId)
    {
        var newest = head.State;
        var messages = new List<ChatMessage>(newest.Messages);
        var oldestWanted = newest.LastSeq - ChatLimits.IdempotencyWindow + 1;
        for (var index = newest.PageIndex - 1; index >= 0 && (index + 1) * HistoryPaging.PageCapacity >= oldestWanted; index--)
        {
            var key = new HistoryPageKey(conversation, index).ToGrainKey();
            messages.InsertRange(0, await grains.GetGrain<IHistoryPageGrain>(key).GetMessages(userId));
        }

        var recentIds = new RecentClientMessageIds();
        foreach (var message in messages.Where(message => message.Seq >= oldestWanted))
        {
            recentIds.Stored(message, newest.LastSeq);
        }

        return recentIds;
    }
}
