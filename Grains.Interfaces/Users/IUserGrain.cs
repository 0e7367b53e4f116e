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

    Task LeaveGroup(string group);

    /// <summary>The user's groups with their newest seqs; drops (and forgets) any that no longer counts the user as a member.</summary>
    Task<IReadOnlyList<GroupSummary>> GetGroups();

    /// <summary>A gateway's count of this user's open sockets, renewing its lease; a count of 0 ends it.</summary>
    Task ReportSockets(SocketReport report);

    /// <summary>Interleaves so that a group grain rebuilding its presence view never deadlocks with this user.</summary>
    [AlwaysInterleave]
    Task<bool> IsOnline();
}
