namespace OrleansChat.Conversations;

/// <summary>
/// The seqs of the messages changed after a given rev, through <see cref="Rev"/>, each once. <see cref="More"/>:
/// later changes exist (ask again after <see cref="Rev"/>). <see cref="Complete"/> is false when changes that old
/// are no longer recorded: no seqs then, and whatever the asker holds must be read again.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ChangedSeqs")]
public sealed record ChangedSeqs(
    [property: Id(0)] IReadOnlyList<long> Seqs,
    [property: Id(1)] long Rev,
    [property: Id(2)] bool More,
    [property: Id(3)] bool Complete);
