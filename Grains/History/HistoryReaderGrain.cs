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

    private async Task<IReadOnlyList<ChatMessage>> ReadSeqs(string userId, long from, long to, HeadPage head)
    {
        if (to < from)
        {
            return [];
        }

        var pages = new List<Task<IReadOnlyList<ChatMessage>>>();
        for (var index = HistoryPaging.PageOf(from); index <= HistoryPaging.PageOf(to); index++)
        {
            pages.Add(index == head.Index
                ? Task.FromResult(head.Messages)
                : GrainFactory.GetGrain<IHistoryPageGrain>(new HistoryPageKey(Conversation, index).ToGrainKey()).GetMessages(userId));
        }

        var messages = await Task.WhenAll(pages);
        return messages.SelectMany(page => page).Where(message => message.Seq >= from && message.Seq <= to).ToList();
    }
}
