namespace OrleansChat.Groups;

[GenerateSerializer, Immutable, Alias("OrleansChat.MemberInfo")]
public sealed record MemberInfo(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] bool Online,
    [property: Id(3)] GroupRole Role = GroupRole.Member);
