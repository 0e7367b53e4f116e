namespace OrleansChat.Users;

/// <summary>The user's read markers by conversation key; a failed write leaves them as they were.</summary>
internal sealed class ReadMarkers(IPersistentState<UserReadsState> reads)
{
    /// <summary>The newest seq marked read; null for a conversation without a marker.</summary>
    public long? Of(string conversation) => reads.State.ReadSeqs.TryGetValue(conversation, out var seq) ? seq : null;

    public Task SetAsync(IReadOnlyCollection<(string Conversation, long Seq)> markers) =>
        ChangeAsync(readSeqs =>
        {
            foreach (var (conversation, seq) in markers)
            {
                readSeqs[conversation] = seq;
            }
        });

    public Task ForgetAsync(string conversation) =>
        reads.State.ReadSeqs.ContainsKey(conversation) ? ChangeAsync(readSeqs => readSeqs.Remove(conversation)) : Task.CompletedTask;

    private async Task ChangeAsync(Action<Dictionary<string, long>> change)
    {
        var before = new Dictionary<string, long>(reads.State.ReadSeqs);
        change(reads.State.ReadSeqs);
        try
        {
            await reads.WriteStateAsync();
        }
        catch
        {
            reads.State.ReadSeqs = before;
            throw;
        }
    }
}
