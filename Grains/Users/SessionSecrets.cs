using System.Buffers.Text;
using System.Security.Cryptography;

namespace OrleansChat.Users;

/// <summary>
/// The secret half of a login token: random, handed to the client once, and kept only as a SHA-256 hash, so
/// a leaked account state reveals no usable token.
/// </summary>
internal static class SessionSecrets
{
    /// <summary>A new secret as the token carries it (base64url) and the hash a session stores of it.</summary>
    public static (string Secret, byte[] Hash) Create()
    {
        var secret = RandomNumberGenerator.GetBytes(SessionToken.SecretBytes);
        return (Base64Url.EncodeToString(secret), SHA256.HashData(secret));
    }

    /// <summary>Whether the secret belongs to one of the sessions that has not expired.</summary>
    public static bool Opens(IEnumerable<LoginSession> sessions, string secret, DateTime now)
    {
        if (SessionToken.HashOfSecret(secret) is not { } hash)
        {
            return false;
        }

        var valid = false;
        foreach (var session in sessions)
        {
            // Every session is compared, in constant time, so timing reveals nothing about the secret.
            valid |= CryptographicOperations.FixedTimeEquals(session.SecretHash, hash) && session.ExpiresAt > now;
        }

        return valid;
    }
}
