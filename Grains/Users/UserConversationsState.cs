namespace OrleansChat.Users;

/// <summary>
/// A user's direct conversations, by the other user's userId; kept apart from the groups so that presence is
/// never announced to a conversation and a version 1 client's group list never shows one.
/// </summary>
[GenerateSerializer, Alias("OrleansChat.UserConversationsState")]
public sealed class UserConversationsState
{
    [Id(0)]
    public Dictionary<string, ConversationEntry> ByPeer { get; set; } = [];

    /// <summary>How many entries were ever listed: the next entry's <see cref="ConversationEntry.Listing"/>.</summary>
    [Id(1)]
    public long Listings { get; set; }
}
