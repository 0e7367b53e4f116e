using OrleansChat.Conversations;

namespace OrleansChat.History;

public sealed class HistoryPageGrain(
    [PersistentState("page", StorageNames.Chat)] IPersistentState<HistoryPageState> page) : Grain, IHistoryPageGrain
{
    public async Task Seal(IReadOnlyList<ChatMessage> messages)
    {
        // A conversation re-seals a page when its previous attempt to move on to the next page failed; a message
        // edited in between must not keep its old text, so only the same messages count as sealed already.
        if (page.State.Messages.SequenceEqual(messages))
        {
            return;
        }

        page.State.Messages = [.. messages];
        await page.WriteStateAsync();
    }

    public async Task Replace(ChatMessage message)
    {
        var messages = page.State.Messages;
        var index = messages.FindIndex(stored => stored.Seq == message.Seq);
        if (index < 0)
        {
            throw Fail.NotFound($"no message {message.Seq}");
        }

        var before = messages[index];
        messages[index] = message;
        try
        {
            await page.WriteStateAsync();
        }
        catch
        {
            messages[index] = before;
            throw;
        }
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
