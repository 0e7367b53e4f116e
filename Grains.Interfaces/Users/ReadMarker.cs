namespace OrleansChat.Users;

/// <summary>
/// How far a user has read one conversation: a group (<see cref="Group"/>) or the direct conversation with another
/// user (<see cref="With"/>, their registered name); exactly one of the two is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ReadMarker")]
public sealed record ReadMarker(
    [property: Id(0)] string? Group,
    [property: Id(1)] string? With,
    [property: Id(2)] long Seq);
