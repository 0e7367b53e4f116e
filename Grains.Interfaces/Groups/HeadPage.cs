using OrleansChat.History;

namespace OrleansChat.Groups;

/// <summary>A snapshot of a group's newest, still growing page of history.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.HeadPage")]
public sealed record HeadPage(
    [property: Id(0)] long Index,
    [property: Id(1)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(2)] long LastSeq);
