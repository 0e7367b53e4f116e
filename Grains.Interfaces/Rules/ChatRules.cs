using OrleansChat.Errors;

namespace OrleansChat.Rules;

/// <summary>
/// Every rule on what clients send, each with its error, defined once: the gateway's frame parser, its
/// HTTP endpoints and the grains (which any cluster client can call, not only the gateway) all check
/// through these. Grain arguments can be null whatever their declared type, so every rule refuses null.
/// </summary>
public static class ChatRules
{
    public static readonly Rule<string> Username = new(
        username => Names.IsWellFormed(username, ChatLimits.UsernameMinLength, ChatLimits.UsernameMaxLength),
        ChatErrorCode.BadRequest,
        $"username must be {ChatLimits.UsernameMinLength} to {ChatLimits.UsernameMaxLength} letters, digits or _ . -");

    public static readonly Rule<string> Password = new(
        password => password is not null && CodePointLength(password) is >= ChatLimits.PasswordMinLength and <= ChatLimits.PasswordMaxLength,
        ChatErrorCode.BadRequest,
        $"password must be {ChatLimits.PasswordMinLength} to {ChatLimits.PasswordMaxLength} characters");

    public static readonly Rule<string> Group = new(
        group => Names.IsWellFormed(group, 1, ChatLimits.GroupMaxLength),
        ChatErrorCode.BadRequest,
        $"group must be 1 to {ChatLimits.GroupMaxLength} letters, digits or _ . -");

    public static readonly Rule<string> TextNotEmpty = new(
        text => text is not null && text.Length > 0,
        ChatErrorCode.BadRequest,
        "text must not be empty");

    public static readonly Rule<string> TextLength = new(
        text => text is not null && CodePointLength(text) <= ChatLimits.TextMaxLength,
        ChatErrorCode.TooLarge,
        $"text is longer than {ChatLimits.TextMaxLength} characters");

    public static readonly Rule<string> ClientMsgId = new(
        clientMsgId => clientMsgId is not null && CodePointLength(clientMsgId) is >= 1 and <= ChatLimits.ClientMsgIdMaxLength,
        ChatErrorCode.BadRequest,
        $"clientMsgId must be a string of 1 to {ChatLimits.ClientMsgIdMaxLength} characters");

    public static readonly Rule<string> RequestId = new(
        id => id is not null && CodePointLength(id) is >= 1 and <= ChatLimits.RequestIdMaxLength,
        ChatErrorCode.BadRequest,
        $"id must be a string of 1 to {ChatLimits.RequestIdMaxLength} characters");

    public static readonly Rule<long?> HistoryAfter = new(
        after => after is null or >= 0,
        ChatErrorCode.BadRequest,
        "after must be a whole number, 0 or more");

    public static readonly Rule<long?> ReadSeq = new(
        seq => seq is >= 0,
        ChatErrorCode.BadRequest,
        "seq must be a whole number, 0 or more");

    public static readonly Rule<long?> HistoryBefore = new(
        before => before is null or >= 0,
        ChatErrorCode.BadRequest,
        "before must be a whole number, 0 or more");

    /// <summary>A limit above <see cref="ChatLimits.HistoryMaxLimit"/> is not an error: it counts as the maximum.</summary>
    public static readonly Rule<long> HistoryLimit = new(
        limit => limit >= 1,
        ChatErrorCode.BadRequest,
        "limit must be a whole number, 1 or more");

    public static ChatException ClusterUnreachable() => new(ChatErrorCode.Unavailable, "the chat cluster is not reachable right now; retry");

    public static ChatException InvalidToken() => new(ChatErrorCode.Unauthorized, "invalid or expired token");

    public static ChatException TooManyReadMarkers() => new(ChatErrorCode.RateLimited, "too many read markers; slow down");

    public static ChatException TooManyRequests() => new(ChatErrorCode.RateLimited, "too many requests; slow down");

    public static ChatException TooManyAccountAttempts() => new(ChatErrorCode.RateLimited, "too many registrations or logins; slow down");

    public static ChatException TooManyPublishes() => new(ChatErrorCode.RateLimited, "too many messages; slow down");

    public static ChatException TooManyTypingNotices() => new(ChatErrorCode.RateLimited, "too many typing notices; slow down");

    public static ChatException TooManySignIns() => new(ChatErrorCode.RateLimited, "too many sign-ins for this user; slow down");

    public static ChatException TooManyMembershipChanges() => new(ChatErrorCode.RateLimited, "too many joins and leaves; slow down");

    public static ChatException TooManyFailedLogins(TimeSpan wait) =>
        new(ChatErrorCode.RateLimited, $"too many failed attempts; retry in {Math.Ceiling(wait.TotalSeconds):0} s");

    public static ChatException TooManyGroups(int groupsPerUser) =>
        new(ChatErrorCode.RateLimited, $"a user may belong to at most {groupsPerUser} groups");

    public static ChatException TooManyConversations(string username, int conversationsPerUser) =>
        new(ChatErrorCode.RateLimited, $"{username} has reached the limit of {conversationsPerUser} direct conversations; forget one to start another");

    public static ChatException TooManyInvitations(int invitationsPerGroup) =>
        new(ChatErrorCode.RateLimited, $"a group may hold at most {invitationsPerGroup} unused invitations");

    public static ChatException TooManyBans(int bansPerGroup) =>
        new(ChatErrorCode.RateLimited, $"a group may ban at most {bansPerGroup} users");

    public static ChatException TooManyMembers(int membersPerGroup) =>
        new(ChatErrorCode.RateLimited, $"a group may have at most {membersPerGroup} members");

    public static ChatException TooManySockets(int socketsPerUser) =>
        new(ChatErrorCode.RateLimited, $"a user may have at most {socketsPerUser} sockets open on one server");

    private static int CodePointLength(string text) => Names.CodePointLength(text);
}
