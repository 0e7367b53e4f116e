namespace OrleansChat.Client;

/// <summary>What a <see cref="ChatClient"/> reports on its event stream.</summary>
public abstract record ChatEvent;

/// <summary>
/// A group message, live or caught up after a reconnect; each seq of a group is reported once, in order. One read
/// from history may have been changed since it was sent: <see cref="Edited"/>, or <see cref="Deleted"/> (a
/// tombstone with no text).
/// </summary>
public sealed record MessageReceived(string Group, long Seq, string From, string Text, DateTimeOffset Ts, string? ClientMsgId, bool Edited = false, bool Deleted = false) : ChatEvent;

/// <summary>
/// A stored message of a group (<see cref="Group"/>) or direct conversation (<see cref="With"/>) was edited (its
/// <see cref="Text"/> now) or deleted (<see cref="Deleted"/>, by <see cref="By"/>); apply it to the message held.
/// Live, or caught up after a reconnect (each changed message once, as it is then). <see cref="Rev"/> is the
/// conversation's change counter this change took (0 from a server without one).
/// </summary>
public sealed record MessageChanged(string? Group, string? With, long Seq, string Text, bool Deleted, string? By, long Rev = 0) : ChatEvent;

/// <summary>
/// More of a group's (<see cref="Group"/>) or direct conversation's (<see cref="With"/>) messages changed while the
/// client was away than the server still remembers: read again from history whatever of it the application holds.
/// </summary>
public sealed record ChangesMissed(string? Group, string? With) : ChatEvent;

/// <summary>Status is one of "joined", "left", "online", "offline".</summary>
public sealed record PresenceChanged(string Group, string User, string Status) : ChatEvent;

public sealed record UserTyping(string Group, string User) : ChatEvent;

/// <summary>The user marked a group (<see cref="Group"/>) or direct conversation (<see cref="With"/>) read up to <see cref="Seq"/>, on any connection.</summary>
public sealed record ReadMarked(string? Group, string? With, long Seq) : ChatEvent;

/// <summary>
/// An owner or admin acted on a user of a group: <see cref="Action"/> is "invited", "kicked", "banned", "unbanned",
/// "promoted", "demoted" or "owner" (made the owner); <see cref="Role"/> is the user's role afterwards.
/// </summary>
public sealed record MemberChanged(string Group, string User, string Action, string By, string Role) : ChatEvent;

/// <summary>This user was invited to a group (join it to accept).</summary>
public sealed record InvitationReceived(string Group, string By) : ChatEvent;

/// <summary>A group of this user's was deleted by its owner.</summary>
public sealed record GroupDeleted(string Group, string By) : ChatEvent;

/// <summary>The connection dropped; the client is reconnecting (when enabled).</summary>
public sealed record ConnectionLost(string Reason) : ChatEvent;

/// <summary>Connected and authenticated again, with every missed message already reported.</summary>
public sealed record Reconnected(int MissedMessages) : ChatEvent;

/// <summary>
/// A direct message, live or caught up; <see cref="With"/> is the other user of the conversation (for a message
/// this user sent, the recipient). Each seq of a conversation is reported once, in order. One read from history
/// may have been changed since, as <see cref="MessageReceived"/> says.
/// </summary>
public sealed record DirectReceived(string With, long Seq, string From, string Text, DateTimeOffset Ts, string? ClientMsgId, bool Edited = false, bool Deleted = false) : ChatEvent;
