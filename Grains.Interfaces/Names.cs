namespace OrleansChat;

/// <summary>Validation and normalisation of user and group names.</summary>
public static class Names
{
    public static bool IsValidUsername(string? username) =>
        username is not null
        && username.Length is >= ChatLimits.UsernameMinLength and <= ChatLimits.UsernameMaxLength
        && username.All(IsNameCharacter);

    public static bool IsValidGroup(string? group) =>
        group is not null
        && group.Length is >= 1 and <= ChatLimits.GroupMaxLength
        && group.All(IsNameCharacter);

    /// <summary>Usernames are unique ignoring case; the user grain's key (and the userId) is the lower-case form.</summary>
    public static string NormalizeUsername(string username) => username.ToLowerInvariant();

    /// <summary>Counts Unicode code points, as the protocol's length limits do; surrogate pairs count once.</summary>
    public static int CodePointLength(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    public static bool IsValidPassword(string? password) =>
        password is not null
        && CodePointLength(password) is >= ChatLimits.PasswordMinLength and <= ChatLimits.PasswordMaxLength;

    private static bool IsNameCharacter(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or '-';
}
