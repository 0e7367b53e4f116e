using Microsoft.Extensions.Logging;
using OrleansChat.History;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// Stores a conversation's messages (a group's or a direct conversation's): group commit into the newest page
/// of history (the head), sealing full pages into page grains, recognising a client's retry of a publish by
/// its clientMsgId, and changing stored messages (edits, deletions) in turn with those writes, each one counted
/// in the conversation's <see cref="MessageChangeLog"/>. Each publish is answered once its message is durable; a
/// failed write answers unavailable and stores nothing.
/// </summary>
internal sealed class PublishPipeline(
    string conversation,
    IPersistentState<GroupHeadState> head,
    MessageChangeLog changeLog,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger logger,
    Func<IReadOnlyList<ChatMessage>, Task> onStored,
    Func<ChatMessage, long, Task> onChanged,
    Action onWriteUncertain)
{
    private readonly Queue<PendingPublish> _pending = new();
    private readonly Queue<PendingChange> _changes = new();
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
    /// Changes one stored message on behalf of <paramref name="userId"/> (who must be allowed to read it);
    /// <paramref name="change"/> checks it as it is when its turn comes and throws to refuse. Answers the message
    /// as stored now.
    /// </summary>
    public async Task<ChatMessage> ChangeAsync(string userId, long seq, Func<ChatMessage, ChatMessage> change)
    {
        if (seq < 1 || seq > LastSeq)
        {
            throw Fail.NotFound($"no message {seq} in {conversation}");
        }

        var pending = new PendingChange(userId, seq, change);
        _changes.Enqueue(pending);
        if (!_writing)
        {
            WriteQueuedMessages().Ignore();
        }

        return await pending.Result;
    }

    /// <summary>
    /// Group commit: one loop writes whatever publishes queued up while the previous write was in flight,
    /// as one storage write, and answers each of them once that write is durable. Changes to stored messages
    /// take their turns in the same loop, so the head is never written twice at once.
    /// </summary>
    private async Task WriteQueuedMessages()
    {
        _writing = true;
        try
        {
            while (_pending.Count > 0 || _changes.Count > 0)
            {
                if (_changes.TryDequeue(out var change))
                {
                    await ApplyChange(change);
                }
                else
                {
                    await WriteOneBatch();
                }
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

    /// <summary>Records a change in the change log; a failed write may have landed, so the grain reloads its state.</summary>
    private async Task<long> RecordChangeAsync(long seq)
    {
        try
        {
            return await changeLog.RecordAsync(seq);
        }
        catch
        {
            onWriteUncertain();
            throw;
        }
    }

    /// <summary>Stores a changed message in the head, or in its sealed page, and tells the stream.</summary>
    private async Task ApplyChange(PendingChange change)
    {
        try
        {
            ChatMessage changed;
            long rev;
            var current = head.State;
            if (HistoryPaging.PageOf(change.Seq) == current.PageIndex)
            {
                var index = (int)(change.Seq - 1 - (current.PageIndex * HistoryPaging.PageCapacity));
                changed = change.Apply(current.Messages[index]);
                if (changed == current.Messages[index])
                {
                    change.Done(changed);
                    return;
                }

                // Recorded first: a change counted but then not stored only makes a client read the message again.
                rev = await RecordChangeAsync(change.Seq);
                List<ChatMessage> messages = [.. current.Messages];
                messages[index] = changed;
                head.State = new GroupHeadState { PageIndex = current.PageIndex, Messages = messages };
                try
                {
                    await head.WriteStateAsync();
                }
                catch
                {
                    head.State = current;
                    onWriteUncertain();
                    throw;
                }
            }
            else
            {
                var page = grains.GetGrain<IHistoryPageGrain>(new HistoryPageKey(conversation, HistoryPaging.PageOf(change.Seq)).ToGrainKey());
                var stored = (await page.GetMessages(change.UserId)).Single(message => message.Seq == change.Seq);
                changed = change.Apply(stored);
                if (changed == stored)
                {
                    change.Done(changed);
                    return;
                }

                rev = await RecordChangeAsync(change.Seq);
                await page.Replace(changed);
            }

            changeLog.Show(rev);
            change.Done(changed);
            await onChanged(changed, rev);
        }
        catch (Errors.ChatException ex)
        {
            change.Failed(ex);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Changing message {Seq} of {Conversation} failed", change.Seq, conversation);
            change.Failed(Fail.Unavailable("the message could not be changed; retry"));
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
