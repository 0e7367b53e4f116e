using Orleans.Concurrency;
using OrleansChat.Conversations;
using OrleansChat.Users;

namespace OrleansChat.Direct;

/// <summary>
/// The direct conversation of two users, keyed by <see cref="ConversationKey.Between"/>: its messages (stored and
/// numbered as a group's are, on a stream of the same kind) and who of the two blocks the other. Only the two
/// participants may send or read.
/// </summary>
[Alias("OrleansChat.IDirectGrain")]
public interface IDirectGrain : IMessageLogGrain
{
    /// <summary>
    /// Stores a message from one participant to the other and answers once it is durable. The first message
    /// adds the conversation to both users' lists. forbidden while either blocks the other.
    /// </summary>
    [AlwaysInterleave]
    Task<DirectReceipt> Send(string fromUserId, string text, string? clientMsgId);

    /// <summary>Blocks or unblocks the other participant's messages to <paramref name="userId"/>; doing it again changes nothing.</summary>
    Task<UserIdentity> SetBlocked(string userId, bool blocked);

    /// <summary>
    /// Called by a participant's user grain as the conversation leaves that user's list, so that the next message
    /// lists it again. Interleaves because the user grain calls it while this grain may be waiting on that user.
    /// </summary>
    [AlwaysInterleave]
    Task Unlist(string userId);
}
