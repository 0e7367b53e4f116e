using Orleans.Concurrency;

namespace OrleansChat.History;

/// <summary>
/// Reads ranges of a group's history from its pages, off the group grain so that reading old pages never
/// holds up publishing. Keyed by group name.
/// </summary>
[Alias("OrleansChat.IHistoryReaderGrain")]
public interface IHistoryReaderGrain : IGrainWithStringKey
{
    /// <summary>A member's history request; throws forbidden or not_found as the protocol says.</summary>
    [ReadOnly]
    Task<HistoryResult> Read(string userId, HistoryQuery query);

    /// <summary>
    /// The stored messages with after &lt; seq &lt;= through, for a gateway repairing a gap in its relay of the
    /// group to the sockets of members such as <paramref name="userId"/>; forbidden for a non-member.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<ChatMessage>> ReadRange(string userId, long after, long through);
}
