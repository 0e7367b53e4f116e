namespace OrleansChat.Users;

/// <summary>
/// One change to a user's conversation list, worked out before anything is written: the entry to store for the
/// other user, whether it is new to the list, and the oldest message request it pushes out, if any.
/// </summary>
internal sealed record ListingChange(string PeerUserId, ConversationEntry Entry, bool IsNew, string? PushedOut);
