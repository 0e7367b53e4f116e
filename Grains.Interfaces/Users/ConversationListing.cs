namespace OrleansChat.Users;

/// <summary>
/// What a direct conversation tells a user's list as it lists itself there: who the other user is, whether it comes
/// to this user as a message request (the other user wrote, this one has not), and the newest seq from before the
/// listing, which is history rather than unread.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ConversationListing")]
public sealed record ConversationListing(
    [property: Id(0)] string PeerUserId,
    [property: Id(1)] string PeerUsername,
    [property: Id(2)] bool Request,
    [property: Id(3)] long ReadThrough);
