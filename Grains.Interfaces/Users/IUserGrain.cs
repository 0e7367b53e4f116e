using Orleans.Concurrency;
using OrleansChat.Groups;
using OrleansChat.Presence;

namespace OrleansChat.Users;

/// <summary>
/// One account, keyed by the normalised username (which is also the userId): credentials, login
/// sessions, the groups the user belongs to, and which gateways hold the user's sockets.
/// </summary>
[Alias("OrleansChat.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; conflict when the name is taken.</summary>
    Task<UserIdentity> Register(string username, Secret password);

    /// <summary>Checks the password and starts a session; unauthorized on a wrong password or unknown user.</summary>
    Task<LoginTicket> Login(Secret password);

    /// <summary>Accepts a token from <see cref="Login"/> that has not expired; unauthorized otherwise.</summary>
    [ReadOnly]
    Task<UserIdentity> Authenticate(Secret token);

    /// <summary>Ends one session (a logout): its token stops working and its sockets are closed. Ending it again changes nothing.</summary>
    Task EndSession(long sessionId);

    /// <summary>Sets a new password and ends every older session; the ticket is the one session left.</summary>
    Task<LoginTicket> ChangePassword(Secret currentPassword, Secret newPassword);

    Task<JoinOutcome> JoinGroup(string group);

    /// <summary>Creates a group with this user as its owner, and joins it.</summary>
    Task<JoinOutcome> CreateGroup(string group, GroupVisibility visibility);

    /// <summary>
    /// Called by a group that invited the user, or ended the membership (kick, ban, deletion): forgets an ended
    /// membership and tells the user's sockets.
    /// </summary>
    Task HearFromGroup(GroupNotice notice);

    Task LeaveGroup(string group);

    /// <summary>The user's groups with their newest seqs; drops (and forgets) any that no longer counts the user as a member.</summary>
    Task<IReadOnlyList<GroupSummary>> GetGroups();

    /// <summary>
    /// The user's direct conversations (<see cref="Direct.IDirectGrain"/>) with their newest seqs, by the other
    /// user's userId.
    /// </summary>
    Task<IReadOnlyList<ConversationSummary>> GetConversations();

    /// <summary>The account's userId and registered username; not_found for a user that never registered.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<UserIdentity> Describe();

    /// <summary>
    /// Called by a direct conversation that this user's list does not hold, or holds as a message request the user
    /// has now written in: lists it and tells the user's sockets to follow it. A conversation the user writes in
    /// counts against the user's limit (rate_limited past it); a request does not, but past the number of requests a
    /// user holds, the oldest one leaves the list. Answers the user's identity; not_found for no such user.
    /// </summary>
    Task<UserIdentity> AddConversation(ConversationListing listing);

    /// <summary>
    /// Takes a direct conversation off the user's list (its history stays; the other user's next message lists it
    /// again, as a request). Forgetting one not listed changes nothing; conflict while the user blocks the other one.
    /// Answers the other user's identity; not_found for no such user.
    /// </summary>
    Task<UserIdentity> ForgetConversation(string peerUserId);

    /// <summary>
    /// Called by a direct conversation when this user blocks or unblocks the other one; lists it if new (as the
    /// user's own, rate_limited past the limit), and a block turns a request into the user's own.
    /// </summary>
    Task ConversationBlockChanged(ConversationListing listing, bool blocked);

    /// <summary>
    /// Marks a group or direct conversation (by <see cref="Conversations.ConversationKey"/>) read up to
    /// <paramref name="seq"/>, clamped to its newest seq; a marker never moves back. The user's sockets hear of a
    /// change. Answers the marker as it now is; not_found or forbidden as reading the conversation would be.
    /// </summary>
    Task<ReadMarker> MarkRead(string conversation, long seq);

    /// <summary>A gateway's count of this user's open sockets, renewing its lease; a count of 0 ends it.</summary>
    Task ReportSockets(SocketReport report);

    /// <summary>Interleaves so that a group grain rebuilding its presence view never deadlocks with this user.</summary>
    [AlwaysInterleave]
    Task<bool> IsOnline();
}
