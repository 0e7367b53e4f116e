using Orleans.Concurrency;
using OrleansChat.Conversations;
using OrleansChat.Users;

namespace OrleansChat.Groups;

/// <summary>
/// One chat group, keyed by its case-sensitive name: membership, the seq counter, the newest page of
/// history and who of the members is online. Events go out on the group's stream (<see cref="GroupStream"/>).
/// </summary>
[Alias("OrleansChat.IGroupGrain")]
public interface IGroupGrain : IMessageLogGrain
{
    /// <summary>
    /// Adds a member, creating a public group owned by its first member when it does not exist yet. Joining again
    /// changes nothing. forbidden for a banned user, and for a private group without an invitation.
    /// </summary>
    Task<JoinOutcome> Join(string userId, string username, bool online);

    /// <summary>Creates the group with this user as its owner; conflict when the name is taken (a deleted group's too).</summary>
    Task<JoinOutcome> Create(string userId, string username, GroupVisibility visibility, bool online);

    /// <summary>
    /// An owner's or admin's action on another user, checked here whoever calls (see the rules of
    /// <c>GroupAccess</c>); answers the target's identity. not_found for an unknown user.
    /// </summary>
    Task<UserIdentity> Moderate(string actorId, string targetId, MemberAction action);

    /// <summary>Deletes the group (its owner only): it answers not_found from then on, and its name stays taken.</summary>
    Task DeleteGroup(string actorId);

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
