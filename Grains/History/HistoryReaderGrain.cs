using Orleans.Concurrency;
using OrleansChat.Conversations;
using OrleansChat.Groups;
using OrleansChat.Rules;

namespace OrleansChat.History;

[StatelessWorker]
public sealed class HistoryReaderGrain : Grain, IHistoryReaderGrain
{
    private string Conversation => this.GetPrimaryKeyString();

    private IMessageLogGrain Log => ConversationKey.Parse(Conversation).Log(GrainFactory);

    public async Task<HistoryResult> Read(string userId, HistoryQuery query)
    {
        ChatRules.HistoryAfter.Require(query.After);
        ChatRules.HistoryBefore.Require(query.Before);
        ChatRules.HistoryLimit.Require(query.Limit);
        var head = await Log.GetHead(userId);
        var range = HistoryRange.Resolve(query with { Limit = Math.Min(query.Limit, ChatLimits.HistoryMaxLimit) }, head.LastSeq);
        var messages = await ReadSeqs(userId, range.From, range.To, head);
        return new HistoryResult(messages, range.More);
    }

    public async Task<IReadOnlyList<ChatMessage>> ReadRange(string userId, long after, long through)
    {
        var head = await Log.GetHead(userId);
        return await ReadSeqs(userId, after + 1, Math.Min(through, head.LastSeq), head);
    }

    public async Task<ChangesResult> ReadChanges(string userId, long afterRev, int limit)
    {
        ChatRules.HistoryAfter.Require(afterRev);
        ChatRules.HistoryLimit.Require(limit);
        var changed = await Log.GetChanges(userId, afterRev, Math.Min(limit, ChatLimits.HistoryMaxLimit));
        var messages = changed.Seqs.Count == 0
            ? []
            : await ReadPages(userId, changed.Seqs.Select(HistoryPaging.PageOf).Distinct(), await Log.GetHead(userId));
        var seqs = changed.Seqs.ToHashSet();
        return new ChangesResult([.. messages.Where(message => seqs.Contains(message.Seq))], changed.Rev, changed.More, changed.Complete);
    }

    private async Task<IReadOnlyList<ChatMessage>> ReadSeqs(string userId, long from, long to, HeadPage head)
    {
        if (to < from)
        {
            return [];
        }

        var indexes = new List<long>();
        for (var index = HistoryPaging.PageOf(from); index <= HistoryPaging.PageOf(to); index++)
        {
            indexes.Add(index);
        }

        var messages = await ReadPages(userId, indexes, head);
        return messages.Where(message => message.Seq >= from && message.Seq <= to).ToList();
    }

    /// <summary>The messages of the given pages in ascending seq, the head's from <paramref name="head"/>.</summary>
    private async Task<IReadOnlyList<ChatMessage>> ReadPages(string userId, IEnumerable<long> indexes, HeadPage head)
    {
        var pages = indexes.Order().Select(index => index == head.Index
            ? Task.FromResult(head.Messages)
            : GrainFactory.GetGrain<IHistoryPageGrain>(new HistoryPageKey(Conversation, index).ToGrainKey()).GetMessages(userId));
        return [.. (await Task.WhenAll(pages)).SelectMany(page => page)];
    }
}
