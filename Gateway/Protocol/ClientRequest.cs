using OrleansChat.Errors;
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

internal sealed record LoginRequest(RequestId Id, string Username, string Password) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(LoginRequest)} {{ Id = {Id}, Username = {Username}, Password = *** }}";
}

internal sealed record AuthRequest(RequestId Id, string Token) : ClientRequest(Id)
{
    public override string ToString() => $"{nameof(AuthRequest)} {{ Id = {Id}, Token = *** }}";
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

internal sealed record PingRequest(RequestId Id) : ClientRequest(Id);
