namespace OrleansChat.Users;

/// <summary>One login's token, kept only as a SHA-256 of its secret so a leaked state reveals no usable token.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.LoginSession")]
public sealed record LoginSession(
    [property: Id(0)] byte[] SecretHash,
    [property: Id(1)] DateTime ExpiresAt);
