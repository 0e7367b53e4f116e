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

    public Task<IReadOnlyList<ChatMessage>> GetMessages() => Task.FromResult<IReadOnlyList<ChatMessage>>(page.State.Messages);
}
