using Orleans.Concurrency;
using OrleansChat.Conversations;

namespace OrleansChat.Groups;

/// <summary>
/// One chat group, keyed by its case-sensitive name: membership, the seq counter, the newest page of
/// history and who of the members is online. Events go out on the group's stream (<see cref="GroupStream"/>).
/// </summary>
[Alias("OrleansChat.IGroupGrain")]
public interface IGroupGrain : IMessageLogGrain
{
    /// <summary>Adds a member, creating the group when it does not exist yet. Joining again changes nothing.</summary>
    Task<JoinOutcome> Join(string userId, string username, bool online);

    /// <summary>Ends a membership; not_found for a missing group, forbidden for a non-member.</summary>
    Task Leave(string userId);

    /// <summary>Stores a message and answers once it is durable; publishes queue up while a write is in flight.</summary>
    [AlwaysInterleave]
    Task<PublishReceipt> Publish(string userId, string text, string? clientMsgId);

    Task<IReadOnlyList<MemberInfo>> GetMembers(string userId);

    [AlwaysInterleave]
    Task Typing(string userId);

    /// <summary>Called by a member's user grain when the member's first socket opens or last socket closes.</summary>
    [AlwaysInterleave]
    Task SetPresence(string userId, bool online);
}
