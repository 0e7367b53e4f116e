using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace OrleansChat.Users;

/// <summary>
/// A token is "{userId}.{secret}": the userId routes it to the user grain that holds the secret's hash.
/// The secret is base64url, which has no '.', so the last '.' splits the two. A session is named by an id
/// taken from the SHA-256 of its secret, which the user grain stores and a gateway can work out from the
/// token it was given, so both can speak of a session without keeping the token.
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

    /// <summary>The id of the session a well-formed token belongs to.</summary>
    public static long? SessionIdOf(string token) =>
        TryParse(token, out _, out var secret) && HashOfSecret(secret) is { } hash ? SessionIdOfHash(hash) : null;

    /// <summary>The SHA-256 of a token's secret (base64url), as its session stores it; null for a secret that is not base64url.</summary>
    public static byte[]? HashOfSecret(string secret) =>
        Base64Url.IsValid(secret) ? SHA256.HashData(Base64Url.DecodeFromChars(secret)) : null;

    /// <summary>The id of the session whose secret has this SHA-256 hash.</summary>
    public static long SessionIdOfHash(ReadOnlySpan<byte> secretHash) => BinaryPrimitives.ReadInt64LittleEndian(secretHash);
}
