namespace OrleansChat.History;

/// <summary>
/// The messages changed after a given rev, as they are stored now, in ascending seq; the other fields as in
/// <see cref="Conversations.ChangedSeqs"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ChangesResult")]
public sealed record ChangesResult(
    [property: Id(0)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(1)] long Rev,
    [property: Id(2)] bool More,
    [property: Id(3)] bool Complete);
