namespace OrleansChat.History;

/// <summary>
/// One stored message of a conversation. <see cref="Seq"/> starts at 1 and has no gaps. <see cref="To"/> is the
/// recipient's registered username in a direct conversation, null in a group. An edit changes the text in place
/// and sets <see cref="EditedAt"/>; a deletion leaves a tombstone: no text, <see cref="Deleted"/>, and who did it.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] long Seq,
    [property: Id(1)] string FromUserId,
    [property: Id(2)] string From,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTime Ts,
    [property: Id(5)] string? ClientMsgId,
    [property: Id(6)] string? To = null,
    [property: Id(7)] DateTime? EditedAt = null,
    [property: Id(8)] bool Deleted = false,
    [property: Id(9)] string? DeletedBy = null);
