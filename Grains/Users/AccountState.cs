namespace OrleansChat.Users;

/// <summary>An account's credentials and live login sessions. Empty until the name is registered.</summary>
[GenerateSerializer, Alias("OrleansChat.AccountState")]
public sealed class AccountState
{
    [Id(0)]
    public string? Username { get; set; }

    /// <summary>PasswordHasher's PBKDF2 format: salt, iteration count and hash in one string.</summary>
    [Id(1)]
    public string? PasswordHash { get; set; }

    [Id(2)]
    public DateTime CreatedAt { get; set; }

    [Id(3)]
    public List<LoginSession> Sessions { get; set; } = [];

    public bool IsRegistered => Username is not null;
}
