using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using OrleansChat.Rules;

namespace OrleansChat.Users;

/// <summary>
/// A token is "{userId}.{secret}": the userId routes it to the user grain that holds the secret's hash.
/// The secret is base64url, which has no '.', so the last '.' splits the two. A session is named by an id
/// taken from the SHA-256 of its secret, which the user grain stores and a gateway can work out from the
/// token it was given, so both can speak of a session without keeping the token.
/// </summary>
public static class SessionToken
{
    /// <summary>Random bytes in a secret.</summary>
    public const int SecretBytes = 32;

    /// <summary>Characters of a secret in base64url (no padding).</summary>
    public static readonly int SecretLength = Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>
    /// The longest userId a token can carry: a username's code points in NFKC, which turns one code point into
    /// at most 18, each up to two UTF-16 units.
    /// </summary>
    public const int MaxUserIdLength = ChatLimits.UsernameMaxLength * 18 * 2;

    public static string Create(string userId, string secret) => $"{userId}.{secret}";

    /// <summary>
    /// Splits a token of the shape we issue; false for anything else (wrong secret length, an over-long user id),
    /// which is refused before any grain is asked about it.
    /// </summary>
    public static bool TryParse(string? token, out string userId, out string secret)
    {
        userId = secret = "";
        var dot = token?.LastIndexOf('.') ?? -1;
        if (token is null || dot <= 0 || dot > MaxUserIdLength || token.Length - dot - 1 != SecretLength)
        {
            return false;
        }

        userId = token[..dot];
        secret = token[(dot + 1)..];
        return Base64Url.IsValid(secret, out var bytes) && bytes == SecretBytes;
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
