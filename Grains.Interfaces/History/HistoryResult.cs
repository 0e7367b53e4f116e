namespace OrleansChat.History;

/// <summary>Messages in ascending seq; <see cref="More"/> says whether more exist in the direction read.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.HistoryResult")]
public sealed record HistoryResult(
    [property: Id(0)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(1)] bool More);
