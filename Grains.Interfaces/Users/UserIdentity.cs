namespace OrleansChat.Users;

[GenerateSerializer, Immutable, Alias("OrleansChat.UserIdentity")]
public sealed record UserIdentity(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username);
