using OrleansChat.Conversations;

namespace OrleansChat.History;

public sealed class HistoryPageGrain(
    [PersistentState("page", StorageNames.Chat)] IPersistentState<HistoryPageState> page) : Grain, IHistoryPageGrain
{
    public async Task Seal(IReadOnlyList<ChatMessage> messages)
    {
        // A group re-seals a page when its previous attempt to move on to the next page failed.
        if (page.State.Messages.Count == messages.Count)
        {
            return;
        }

        page.State.Messages = [.. messages];
        await page.WriteStateAsync();
    }

    /// <remarks>
    /// The page asks its conversation's grain whether the reader is a member, so that a cluster client cannot
    /// read a conversation's history around the reader grain; old pages are read far less often than messages are published.
    /// </remarks>
    public async Task<IReadOnlyList<ChatMessage>> GetMessages(string userId)
    {
        await ConversationKey.Parse(HistoryPageKey.ConversationOf(this.GetPrimaryKeyString())).Log(GrainFactory).RequireMember(userId);
        return page.State.Messages;
    }
}
