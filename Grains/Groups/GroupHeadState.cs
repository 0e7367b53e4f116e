using OrleansChat.History;

namespace OrleansChat.Groups;

/// <summary>
/// The group's newest page of history. The seq counter is derived from it, so one write stores a batch
/// of messages and advances the counter atomically.
/// </summary>
[GenerateSerializer, Alias("OrleansChat.GroupHeadState")]
public sealed class GroupHeadState
{
    [Id(0)]
    public long PageIndex { get; set; }

    [Id(1)]
    public List<ChatMessage> Messages { get; set; } = [];

    public long LastSeq => (PageIndex * HistoryPaging.PageCapacity) + Messages.Count;

    public bool IsFull => Messages.Count >= HistoryPaging.PageCapacity;

    public int Room => HistoryPaging.PageCapacity - Messages.Count;
}
