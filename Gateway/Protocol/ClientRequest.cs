using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Gateway.Protocol;

/// <summary>A client frame, parsed and validated. Field values are already within the protocol's limits.</summary>
internal abstract record ClientRequest(RequestId Id);

/// <summary>A frame that is not a valid request; it is answered with this error and nothing else happens.</summary>
internal sealed record InvalidRequest(RequestId Id, ChatErrorCode Code, string Message) : ClientRequest(Id);

// The requests that carry a password or token print it as *** so that no log line or exception message
// built from one can leak it.

internal sealed record RegisterRequest(RequestId Id, string Username, string Password) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(RegisterRequest)} {{ Id = {Id}, Username = {Username}, Password = *** }}";
}

// Protocol: the revision of the protocol the client speaks (docs/protocol.md, "Protocol revisions"), 1 when not given.

internal sealed record LoginRequest(RequestId Id, string Username, string Password, int Protocol) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(LoginRequest)} {{ Id = {Id}, Username = {Username}, Password = ***, Protocol = {Protocol} }}";
}

internal sealed record AuthRequest(RequestId Id, string Token, int Protocol) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(AuthRequest)} {{ Id = {Id}, Token = ***, Protocol = {Protocol} }}";
}

internal sealed record LogoutRequest(RequestId Id) : ClientRequest(Id);

internal sealed record ChangePasswordRequest(RequestId Id, string Password, string NewPassword) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(ChangePasswordRequest)} {{ Id = {Id}, Password = ***, NewPassword = *** }}";
}

internal sealed record JoinRequest(RequestId Id, string Group) : ClientRequest(Id);

internal sealed record LeaveRequest(RequestId Id, string Group) : ClientRequest(Id);

internal sealed record PublishRequest(RequestId Id, string Group, string Text, string? ClientMsgId) : ClientRequest(Id);

internal sealed record HistoryRequest(RequestId Id, string Group, HistoryQuery Query) : ClientRequest(Id);

internal sealed record MembersRequest(RequestId Id, string Group) : ClientRequest(Id);

internal sealed record GroupsRequest(RequestId Id) : ClientRequest(Id);

internal sealed record TypingRequest(RequestId Id, string Group) : ClientRequest(Id);

// Private groups and roles.

internal sealed record CreateRequest(RequestId Id, string Group, GroupVisibility Visibility) : ClientRequest(Id);

/// <summary>An owner's or admin's action on another user (by username as typed) in a group.</summary>
internal sealed record ModerateRequest(RequestId Id, string Group, string User, MemberAction Action) : ClientRequest(Id);

internal sealed record DeleteGroupRequest(RequestId Id, string Group) : ClientRequest(Id);

internal sealed record PingRequest(RequestId Id) : ClientRequest(Id);

// Direct messages; With and To are usernames, normalised as typed (the user grain's key is derived from them).

internal sealed record DirectRequest(RequestId Id, string To, string Text, string? ClientMsgId) : ClientRequest(Id);

internal sealed record DirectHistoryRequest(RequestId Id, string With, HistoryQuery Query) : ClientRequest(Id);

internal sealed record ConversationsRequest(RequestId Id) : ClientRequest(Id);

internal sealed record BlockRequest(RequestId Id, string User, bool Blocked) : ClientRequest(Id);

/// <summary>The messages of a group (<see cref="Group"/>) or direct conversation (<see cref="With"/>) changed after a rev.</summary>
internal sealed record ChangesRequest(RequestId Id, string? Group, string? With, long After, int Limit) : ClientRequest(Id);

/// <summary>Takes the direct conversation with a user off the sender's list.</summary>
internal sealed record ForgetRequest(RequestId Id, string User) : ClientRequest(Id);

/// <summary>Changes the text of a message in a group (<see cref="Group"/>) or the direct conversation with a user (<see cref="With"/>).</summary>
internal sealed record EditRequest(RequestId Id, string? Group, string? With, long Seq, string Text) : ClientRequest(Id);

internal sealed record DeleteRequest(RequestId Id, string? Group, string? With, long Seq) : ClientRequest(Id);

/// <summary>Marks a group (<see cref="Group"/>) or the direct conversation with a user (<see cref="With"/>) read up to a seq.</summary>
internal sealed record ReadRequest(RequestId Id, string? Group, string? With, long Seq) : ClientRequest(Id);
