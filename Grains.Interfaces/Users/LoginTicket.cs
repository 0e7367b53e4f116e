namespace OrleansChat.Users;

[GenerateSerializer, Immutable, Alias("OrleansChat.LoginTicket")]
public sealed record LoginTicket(
    [property: Id(0)] string Token,
    [property: Id(1)] UserIdentity User,
    [property: Id(2)] DateTime ExpiresAt)
{
    /// <summary>Never prints the token, so a log line or exception built from a ticket cannot leak it.</summary>
    public override string ToString() => $"{nameof(LoginTicket)} {{ Token = ***, User = {User}, ExpiresAt = {ExpiresAt:O} }}";
}
