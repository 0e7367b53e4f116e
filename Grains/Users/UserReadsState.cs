namespace OrleansChat.Users;

/// <summary>
/// How far the user has read each of their groups and direct conversations, by conversation key
/// (<see cref="Conversations.ConversationKey"/>): the newest seq marked read. Kept apart from the memberships so that
/// marking, which clients do often, never rewrites them.
/// </summary>
[GenerateSerializer, Alias("OrleansChat.UserReadsState")]
public sealed class UserReadsState
{
    [Id(0)]
    public Dictionary<string, long> ReadSeqs { get; set; } = [];
}
