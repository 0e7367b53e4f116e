namespace OrleansChat.Rules;

public static class Names
{
    /// <summary>Usernames are unique ignoring case; the user grain's key (and the userId) is the lower-case form.</summary>
    public static string NormalizeUsername(string username) => username.ToLowerInvariant();
}
