namespace OrleansChat.Users;

/// <summary>
/// One direct conversation in a user's list: the other user's registered name, whether this user blocks them,
/// whether it is a message request (the other user wrote and this one has not), and its number in the order of
/// listing, by which the oldest request is the one pushed out.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ConversationEntry")]
public sealed record ConversationEntry(
    [property: Id(0)] string Username,
    [property: Id(1)] bool Blocked,
    [property: Id(2)] bool Request = false,
    [property: Id(3)] long Listing = 0);
