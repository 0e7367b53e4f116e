namespace OrleansChat.Conversations;

/// <summary>
/// How far a conversation has come: the seq of its newest message, and its change counter (how many edits and
/// deletions its messages have had), so that a client can tell what it missed of each.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.LogPosition")]
public sealed record LogPosition(
    [property: Id(0)] long LastSeq,
    [property: Id(1)] long Rev);
