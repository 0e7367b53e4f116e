using Orleans.Concurrency;

namespace OrleansChat.History;

/// <summary>
/// Reads ranges of a conversation's history from its pages, off the conversation's grain so that reading old
/// pages never holds up publishing. Keyed by the conversation's key (<see cref="Conversations.ConversationKey"/>).
/// </summary>
[Alias("OrleansChat.IHistoryReaderGrain")]
public interface IHistoryReaderGrain : IGrainWithStringKey
{
    /// <summary>A member's history request; throws forbidden or not_found as the protocol says.</summary>
    [ReadOnly]
    Task<HistoryResult> Read(string userId, HistoryQuery query);

    /// <summary>
    /// The stored messages with after &lt; seq &lt;= through, for a gateway repairing a gap in its relay of the
    /// conversation to the sockets of members such as <paramref name="userId"/>; forbidden for a non-member.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<ChatMessage>> ReadRange(string userId, long after, long through);

    /// <summary>
    /// A member's changes request: the messages edited or deleted after <paramref name="afterRev"/> as they are
    /// now (at most <paramref name="limit"/>, capped as history's limit is).
    /// </summary>
    [ReadOnly]
    Task<ChangesResult> ReadChanges(string userId, long afterRev, int limit);
}
