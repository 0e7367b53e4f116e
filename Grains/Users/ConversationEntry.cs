namespace OrleansChat.Users;

/// <summary>One direct conversation in a user's list: the other user's registered name, and whether this user blocks them.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ConversationEntry")]
public sealed record ConversationEntry(
    [property: Id(0)] string Username,
    [property: Id(1)] bool Blocked);
