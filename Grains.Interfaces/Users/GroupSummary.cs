namespace OrleansChat.Users;

[GenerateSerializer, Immutable, Alias("OrleansChat.GroupSummary")]
public sealed record GroupSummary(
    [property: Id(0)] string Group,
    [property: Id(1)] long LastSeq);
