using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Users;

/// <summary>
/// A user's list of direct conversations, by the other user's userId. Conversations the user wrote in (or blocked)
/// count against the user's limit; message requests do not, and past their own bound a new one pushes out the
/// oldest, so that nobody else can fill the list. A failed write leaves the list as it was.
/// </summary>
internal sealed class UserConversations(IPersistentState<UserConversationsState> conversations, LimitsOptions limits)
{
    /// <summary>The entries in ordinal order of the other user's userId.</summary>
    public IReadOnlyList<KeyValuePair<string, ConversationEntry>> Ordered =>
        [.. conversations.State.ByPeer.OrderBy(entry => entry.Key, StringComparer.Ordinal)];

    public ConversationEntry? Of(string peerUserId) => conversations.State.ByPeer.GetValueOrDefault(peerUserId);

    /// <summary>
    /// What listing a conversation changes: a new entry, or a request the user now writes in becoming theirs; null
    /// when the list already holds it so.
    /// </summary>
    public ListingChange? PlanListing(ConversationListing listing, string ownUsername)
    {
        var listed = Of(listing.PeerUserId);
        if (listed is not null && (listing.Request || !listed.Request))
        {
            return null;
        }

        if (!listing.Request)
        {
            RequireRoomForOwn(ownUsername);
        }

        var entry = listed is null
            ? new ConversationEntry(listing.PeerUsername, Blocked: false, listing.Request, conversations.State.Listings)
            : listed with { Request = false };
        var pushedOut = listed is null && listing.Request ? OldestRequestPastItsBound() : null;
        return new ListingChange(listing.PeerUserId, entry, IsNew: listed is null, pushedOut);
    }

    /// <summary>
    /// What (un)blocking changes: a block lists the conversation as the user's own (a request it turns into the
    /// user's own does not need room under the limit: the list does not grow); unblocking someone not blocked
    /// changes nothing (null).
    /// </summary>
    public ListingChange? PlanBlock(string peerUserId, string peerUsername, bool blocked, string ownUsername)
    {
        var listed = Of(peerUserId);
        if ((listed is null && !blocked) || (listed is not null && listed.Blocked == blocked))
        {
            return null;
        }

        if (listed is null)
        {
            RequireRoomForOwn(ownUsername);
        }

        var entry = listed is null
            ? new ConversationEntry(peerUsername, blocked, Request: false, conversations.State.Listings)
            : listed with { Username = peerUsername, Blocked = blocked, Request = false };
        return new ListingChange(peerUserId, entry, IsNew: listed is null, PushedOut: null);
    }

    public Task SaveAsync(ListingChange change) => ChangeAsync(state =>
    {
        state.ByPeer[change.PeerUserId] = change.Entry;
        if (change.IsNew)
        {
            state.Listings++;
        }

        if (change.PushedOut is { } pushedOut)
        {
            state.ByPeer.Remove(pushedOut);
        }
    });

    public Task RemoveAsync(string peerUserId) => ChangeAsync(state => state.ByPeer.Remove(peerUserId));

    private void RequireRoomForOwn(string ownUsername)
    {
        if (limits.Enabled && conversations.State.ByPeer.Values.Count(entry => !entry.Request) >= limits.ConversationsPerUser)
        {
            throw ChatRules.TooManyConversations(ownUsername, limits.ConversationsPerUser);
        }
    }

    private string? OldestRequestPastItsBound()
    {
        var requests = conversations.State.ByPeer.Where(entry => entry.Value.Request).ToList();
        return limits.Enabled && requests.Count > 0 && requests.Count >= limits.MessageRequestsPerUser
            ? requests.MinBy(entry => entry.Value.Listing).Key
            : null;
    }

    private async Task ChangeAsync(Action<UserConversationsState> change)
    {
        var state = conversations.State;
        var before = (ByPeer: new Dictionary<string, ConversationEntry>(state.ByPeer), state.Listings);
        change(state);
        try
        {
            await conversations.WriteStateAsync();
        }
        catch
        {
            (state.ByPeer, state.Listings) = before;
            throw;
        }
    }
}
