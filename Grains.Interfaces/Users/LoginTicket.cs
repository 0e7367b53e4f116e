namespace OrleansChat.Users;

[GenerateSerializer, Immutable, Alias("OrleansChat.LoginTicket")]
public sealed record LoginTicket(
    [property: Id(0)] string Token,
    [property: Id(1)] UserIdentity User,
    [property: Id(2)] DateTime ExpiresAt);
