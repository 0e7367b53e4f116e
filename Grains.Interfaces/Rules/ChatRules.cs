using OrleansChat.Errors;

namespace OrleansChat.Rules;

/// <summary>
/// Every rule on what clients send, each with its error, defined once: the gateway's frame parser, its
/// HTTP endpoints and the grains (which any cluster client can call, not only the gateway) all check
/// through these.
/// </summary>
public static class ChatRules
{
    public static readonly Rule<string> Username = new(
        username => username.Length is >= ChatLimits.UsernameMinLength and <= ChatLimits.UsernameMaxLength && username.All(IsNameCharacter),
        ChatErrorCode.BadRequest,
        $"username must be {ChatLimits.UsernameMinLength} to {ChatLimits.UsernameMaxLength} characters of A-Z a-z 0-9 _ . -");

    public static readonly Rule<string> Password = new(
        password => CodePointLength(password) is >= ChatLimits.PasswordMinLength and <= ChatLimits.PasswordMaxLength,
        ChatErrorCode.BadRequest,
        $"password must be {ChatLimits.PasswordMinLength} to {ChatLimits.PasswordMaxLength} characters");

    public static readonly Rule<string> Group = new(
        group => group.Length is >= 1 and <= ChatLimits.GroupMaxLength && group.All(IsNameCharacter),
        ChatErrorCode.BadRequest,
        $"group must be 1 to {ChatLimits.GroupMaxLength} characters of A-Z a-z 0-9 _ . -");

    public static readonly Rule<string> TextNotEmpty = new(
        text => text.Length > 0,
        ChatErrorCode.BadRequest,
        "text must not be empty");

    public static readonly Rule<string> TextLength = new(
        text => CodePointLength(text) <= ChatLimits.TextMaxLength,
        ChatErrorCode.TooLarge,
        $"text is longer than {ChatLimits.TextMaxLength} characters");

    public static readonly Rule<string> ClientMsgId = new(
        clientMsgId => CodePointLength(clientMsgId) is >= 1 and <= ChatLimits.ClientMsgIdMaxLength,
        ChatErrorCode.BadRequest,
        $"clientMsgId must be a string of 1 to {ChatLimits.ClientMsgIdMaxLength} characters");

    public static readonly Rule<string> RequestId = new(
        id => CodePointLength(id) is >= 1 and <= ChatLimits.RequestIdMaxLength,
        ChatErrorCode.BadRequest,
        $"id must be a string of 1 to {ChatLimits.RequestIdMaxLength} characters");

    public static ChatException TooManyRequests() => new(ChatErrorCode.RateLimited, "too many requests; slow down");

    public static ChatException TooManyAccountAttempts() => new(ChatErrorCode.RateLimited, "too many registrations or logins; slow down");

    public static ChatException TooManyGroups(int maxGroupsPerUser) =>
        new(ChatErrorCode.RateLimited, $"a user may belong to at most {maxGroupsPerUser} groups");

    /// <summary>Counts Unicode code points, as the protocol's length limits do; a surrogate pair counts once.</summary>
    private static int CodePointLength(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static bool IsNameCharacter(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or '-';
}
