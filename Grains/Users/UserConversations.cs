using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Users;

/// <summary>
/// A user's list of direct conversations, by the other user's userId, within the user's limit. A failed write
/// leaves the list as it was.
/// </summary>
internal sealed class UserConversations(IPersistentState<UserConversationsState> conversations, LimitsOptions limits)
{
    /// <summary>The entries in ordinal order of the other user's userId.</summary>
    public IReadOnlyList<KeyValuePair<string, ConversationEntry>> Ordered =>
        [.. conversations.State.ByPeer.OrderBy(entry => entry.Key, StringComparer.Ordinal)];

    public ConversationEntry? Of(string peerUserId) => conversations.State.ByPeer.GetValueOrDefault(peerUserId);

    /// <summary>Lists the conversation unless it is listed; true when it is new.</summary>
    public Task<bool> ListAsync(string peerUserId, string peerUsername, string ownUsername) =>
        Of(peerUserId) is null ? SaveAsync(peerUserId, new ConversationEntry(peerUsername, Blocked: false), ownUsername) : Task.FromResult(false);

    /// <summary>
    /// Records whether the user blocks the other one, listing the conversation for a block; true when it is new.
    /// Unblocking someone never listed changes nothing.
    /// </summary>
    public Task<bool> SetBlockedAsync(string peerUserId, string peerUsername, bool blocked, string ownUsername)
    {
        var entry = new ConversationEntry(peerUsername, blocked);
        var listed = Of(peerUserId);
        return listed == entry || (listed is null && !blocked) ? Task.FromResult(false) : SaveAsync(peerUserId, entry, ownUsername);
    }

    private async Task<bool> SaveAsync(string peerUserId, ConversationEntry entry, string ownUsername)
    {
        var byPeer = conversations.State.ByPeer;
        var previous = byPeer.GetValueOrDefault(peerUserId);
        if (previous is null && limits.Enabled && byPeer.Count >= limits.ConversationsPerUser)
        {
            throw ChatRules.TooManyConversations(ownUsername, limits.ConversationsPerUser);
        }

        byPeer[peerUserId] = entry;
        try
        {
            await conversations.WriteStateAsync();
        }
        catch
        {
            if (previous is null)
            {
                byPeer.Remove(peerUserId);
            }
            else
            {
                byPeer[peerUserId] = previous;
            }

            throw;
        }

        return previous is null;
    }
}
