namespace OrleansChat.Client;

public sealed record Account(string UserId, string Username);

public sealed record LoginResult(string Token, string UserId, string Username, DateTimeOffset ExpiresAt)
{
    /// <summary>Never prints the token, so a log line or exception built from a result cannot leak it.</summary>
    public override string ToString() => $"{nameof(LoginResult)} {{ Token = ***, UserId = {UserId}, Username = {Username}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>A group's member; <see cref="Role"/> is "owner", "admin" or "member".</summary>
public sealed record Member(string UserId, string Username, bool Online, string Role = "member");

/// <summary>A joined (or created) group; <see cref="Role"/> is this user's, <see cref="Visibility"/> "public" or "private".</summary>
public sealed record JoinResult(string Group, long LastSeq, IReadOnlyList<Member> Members, string Role = "member", string Visibility = "public");

public sealed record PublishResult(string Group, long Seq, DateTimeOffset Ts);

public sealed record HistoryPage(string Group, IReadOnlyList<MessageReceived> Messages, bool More);

/// <summary>One of the user's groups; <see cref="ReadSeq"/> and <see cref="Unread"/> come from the user's read marker (0 from a server without them).</summary>
public sealed record GroupInfo(string Group, long LastSeq, long ReadSeq = 0, long Unread = 0, long Rev = 0);

public sealed record DirectResult(string With, long Seq, DateTimeOffset Ts);

public sealed record DirectHistoryPage(string With, IReadOnlyList<DirectReceived> Messages, bool More);

/// <summary>
/// One of the user's direct conversations; <see cref="Blocked"/>: this user blocks the other one; <see cref="Request"/>:
/// the other user started it and this user has not written in it (false from a server without message requests).
/// </summary>
public sealed record ConversationInfo(string With, long LastSeq, bool Blocked, long ReadSeq = 0, long Unread = 0, bool Request = false, long Rev = 0);
