using OrleansChat.Conversations;
using OrleansChat.Direct;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Overload;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.History;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Requests;

/// <summary>The grain calls of the direct-message requests: send, history, changes, the conversation list, block, unblock and forget.</summary>
internal sealed class DirectMessageRequests(IGrainFactory grains, FollowTable follows, OverloadGuard overload)
{
    /// <summary>
    /// Sends a direct message. A socket that follows direct messages follows the conversation from here on if
    /// it did not yet (its first message), so that it gets the message's event like any other.
    /// </summary>
    public async Task<byte[]> SendAsync(ChatConnection connection, UserIdentity user, DirectRequest request)
    {
        var conversation = With(user, request.To);
        var deliveryLag = overload.EnsureRoomToPublish(conversation.ToGrainKey());
        var receipt = await Direct(conversation).Send(user.UserId, request.Text, request.ClientMsgId);
        deliveryLag?.Acknowledged(receipt.Seq, DateTime.UtcNow);
        if (connection.SpeaksRevision2)
        {
            await LiveFollows.WhenLive([follows.Follow(connection, conversation.ToGrainKey(), receipt.Seq - 1)]);
        }

        return Replies.DirectSent(request.Id, receipt);
    }

    public async Task<byte[]> HistoryAsync(UserIdentity user, DirectHistoryRequest request)
    {
        var conversation = With(user, request.With);
        var peer = await grains.GetGrain<IUserGrain>(conversation.PeerOf(user.UserId)).Describe();
        var result = await grains.GetGrain<IHistoryReaderGrain>(conversation.ToGrainKey()).Read(user.UserId, request.Query);
        return Replies.DirectHistory(request.Id, user.UserId, peer.Username, result);
    }

    public async Task<byte[]> ChangesAsync(UserIdentity user, ChangesRequest request)
    {
        var conversation = With(user, request.With!);
        var peer = await grains.GetGrain<IUserGrain>(conversation.PeerOf(user.UserId)).Describe();
        var result = await grains.GetGrain<IHistoryReaderGrain>(conversation.ToGrainKey()).ReadChanges(user.UserId, request.After, request.Limit);
        return Replies.Changes(request.Id, null, peer.Username, result, (entry, message) =>
            ServerFrames.WriteDirectFields(entry, MessageFrames.OtherUserOf(message, user.UserId), message));
    }

    public async Task<byte[]> ConversationsAsync(UserIdentity user, RequestId id) =>
        Replies.Conversations(id, await grains.GetGrain<IUserGrain>(user.UserId).GetConversations());

    public async Task<byte[]> BlockAsync(UserIdentity user, BlockRequest request)
    {
        var peer = await Direct(With(user, request.User)).SetBlocked(user.UserId, request.Blocked);
        return Replies.OtherUser(request.Id, peer);
    }

    /// <summary>
    /// Unfollows the conversation on this socket once the list no longer holds it; the user's other sockets hear of
    /// it from the user grain, as of a leave.
    /// </summary>
    public async Task<byte[]> ForgetAsync(ChatConnection connection, UserIdentity user, ForgetRequest request)
    {
        var conversation = With(user, request.User);
        var peer = await grains.GetGrain<IUserGrain>(user.UserId).ForgetConversation(conversation.PeerOf(user.UserId));
        follows.Unfollow(connection, conversation.ToGrainKey());
        return Replies.OtherUser(request.Id, peer);
    }

    /// <summary>Follows each of the user's direct conversations from its newest seq, for a socket signing in.</summary>
    public async Task<IEnumerable<Task>> FollowConversationsAsync(ChatConnection connection, UserIdentity user)
    {
        var conversations = await grains.GetGrain<IUserGrain>(user.UserId).GetConversations();
        return conversations.Select(conversation =>
            follows.Follow(connection, With(user, conversation.With).ToGrainKey(), conversation.LastSeq)).ToList();
    }

    /// <summary>The user's conversation with another, named by username as typed; bad_request for the user themselves.</summary>
    public static ConversationKey With(UserIdentity user, string username)
    {
        var otherUserId = Names.NormalizeUsername(username);
        return otherUserId == user.UserId
            ? throw new ChatException(ChatErrorCode.BadRequest, "that is you; direct messages go to another user")
            : ConversationKey.Between(user.UserId, otherUserId);
    }

    private IDirectGrain Direct(ConversationKey conversation) => grains.GetGrain<IDirectGrain>(conversation.ToGrainKey());
}
