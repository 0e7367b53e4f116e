namespace OrleansChat.Users;

/// <summary>
/// A token is "{userId}.{secret}": the userId routes it to the user grain that holds the secret's hash.
/// The secret is base64url, which has no '.', so the last '.' splits the two.
/// </summary>
public static class SessionToken
{
    public static string Create(string userId, string secret) => $"{userId}.{secret}";

    public static bool TryParse(string? token, out string userId, out string secret)
    {
        userId = secret = "";
        var dot = token?.LastIndexOf('.') ?? -1;
        if (token is null || dot <= 0 || dot == token.Length - 1)
        {
            return false;
        }

        userId = token[..dot];
        secret = token[(dot + 1)..];
        return true;
    }
}
