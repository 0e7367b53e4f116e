namespace OrleansChat.Groups;

[GenerateSerializer, Immutable, Alias("OrleansChat.JoinOutcome")]
public sealed record JoinOutcome(
    [property: Id(0)] long LastSeq,
    [property: Id(1)] IReadOnlyList<MemberInfo> Members,
    [property: Id(2)] bool WasMember,
    [property: Id(3)] GroupRole Role = GroupRole.Member,
    [property: Id(4)] GroupVisibility Visibility = GroupVisibility.Public,
    [property: Id(5)] long Rev = 0);
