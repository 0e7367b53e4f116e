using OrleansChat.Conversations;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// A stored message's frames as the sockets following its conversation receive them, each encoded once. A group's
/// message is one <c>message</c> frame for everyone; a direct message names the other participant, so its
/// sender's sockets get a different frame from the recipient's.
/// </summary>
internal readonly record struct MessageFrames(byte[] ForRecipients, byte[]? ForSender, string SenderId)
{
    public static MessageFrames Of(ConversationKey conversation, ChatMessage message) => conversation.IsDirect
        ? new(ServerFrames.Direct(message.From, message), ServerFrames.Direct(OtherUserOf(message, message.FromUserId), message), message.FromUserId)
        : new(ServerFrames.Message(conversation.Group!, message), null, message.FromUserId);

    /// <summary>The <c>edited</c> or <c>deleted</c> frames of a changed message, for the same receivers as its message frames.</summary>
    public static MessageFrames ChangeOf(ConversationKey conversation, MessageChanged change) => conversation.IsDirect
        ? new(
            ServerFrames.Changed(null, change.Message.From, change),
            ServerFrames.Changed(null, OtherUserOf(change.Message, change.Message.FromUserId), change),
            change.Message.FromUserId)
        : new(ServerFrames.Changed(conversation.Group, null, change), null, change.Message.FromUserId);

    /// <summary>The other participant of a direct message, as <paramref name="userId"/> (one of the two) sees it.</summary>
    public static string OtherUserOf(ChatMessage message, string userId) =>
        message.FromUserId == userId ? message.To ?? message.From : message.From;

    public byte[] For(ChatConnection socket) => ForSender is { } own && socket.User?.UserId == SenderId ? own : ForRecipients;
}
