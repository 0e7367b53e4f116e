using System.Text.Json;
using OrleansChat.Direct;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Protocol;

/// <summary>The ok reply to each request, as docs/protocol.md spells it.</summary>
internal static class Replies
{
    public static byte[] Registered(RequestId id, UserIdentity user) => ServerFrames.Ok(id, writer => WriteIdentity(writer, user));

    public static byte[] LoggedIn(RequestId id, LoginTicket ticket, int protocol = ProtocolRevisions.First) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("token", ticket.Token);
        WriteIdentity(writer, ticket.User);
        writer.WriteString("expiresAt", WireNames.Timestamp(ticket.ExpiresAt));
        WriteProtocol(writer, protocol);
    });

    public static byte[] Authenticated(RequestId id, UserIdentity user, int protocol) => ServerFrames.Ok(id, writer =>
    {
        WriteIdentity(writer, user);
        WriteProtocol(writer, protocol);
    });

    public static byte[] Joined(RequestId id, string group, JoinOutcome outcome) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        writer.WriteNumber("lastSeq", outcome.LastSeq);
        WriteMembers(writer, outcome.Members);
        writer.WriteString("role", WireNames.Of(outcome.Role));
        writer.WriteString("visibility", WireNames.Of(outcome.Visibility));
        writer.WriteNumber("rev", outcome.Rev);
    });

    public static byte[] Moderated(RequestId id, string group, UserIdentity user) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        writer.WriteString("user", user.Username);
    });

    public static byte[] Left(RequestId id, string group) => ServerFrames.Ok(id, writer => writer.WriteString("group", group));

    public static byte[] Published(RequestId id, string group, PublishReceipt receipt) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        writer.WriteNumber("seq", receipt.Seq);
        writer.WriteString("ts", WireNames.Timestamp(receipt.Ts));
    });

    public static byte[] History(RequestId id, string group, HistoryResult result) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        WriteObjects(writer, "messages", result.Messages, (entry, message) => ServerFrames.WriteMessageFields(entry, group, message));
        writer.WriteBoolean("more", result.More);
    });

    /// <summary>
    /// A changes reply: the changed messages as history shows them, written by <paramref name="writeMessage"/> (a
    /// group's or a direct conversation's fields), named by <paramref name="group"/> or <paramref name="with"/>.
    /// </summary>
    public static byte[] Changes(RequestId id, string? group, string? with, ChangesResult result, Action<Utf8JsonWriter, ChatMessage> writeMessage) => ServerFrames.Ok(id, writer =>
    {
        ServerFrames.WriteConversation(writer, group, with);
        writer.WriteNumber("rev", result.Rev);
        WriteObjects(writer, "messages", result.Messages, writeMessage);
        writer.WriteBoolean("more", result.More);
        writer.WriteBoolean("complete", result.Complete);
    });

    public static byte[] Members(RequestId id, string group, IEnumerable<MemberInfo> members) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        WriteMembers(writer, members);
    });

    public static byte[] Groups(RequestId id, IEnumerable<GroupSummary> groups) => ServerFrames.Ok(id, writer =>
    {
        WriteObjects(writer, "groups", groups, static (entry, group) =>
        {
            entry.WriteString("group", group.Group);
            entry.WriteNumber("lastSeq", group.LastSeq);
            entry.WriteNumber("readSeq", group.ReadSeq);
            entry.WriteNumber("unread", group.Unread);
            entry.WriteNumber("rev", group.Rev);
        });
    });

    public static byte[] DirectSent(RequestId id, DirectReceipt receipt) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("with", receipt.With);
        writer.WriteNumber("seq", receipt.Seq);
        writer.WriteString("ts", WireNames.Timestamp(receipt.Ts));
    });

    /// <summary>A direct conversation's history as <paramref name="userId"/> sees it: each message names the other user.</summary>
    public static byte[] DirectHistory(RequestId id, string userId, string with, HistoryResult result) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("with", with);
        WriteObjects(writer, "messages", result.Messages, (entry, message) =>
            ServerFrames.WriteDirectFields(entry, MessageFrames.OtherUserOf(message, userId), message));
        writer.WriteBoolean("more", result.More);
    });

    public static byte[] Conversations(RequestId id, IEnumerable<ConversationSummary> conversations) => ServerFrames.Ok(id, writer =>
    {
        WriteObjects(writer, "conversations", conversations, static (entry, conversation) =>
        {
            entry.WriteString("with", conversation.With);
            entry.WriteNumber("lastSeq", conversation.LastSeq);
            entry.WriteBoolean("blocked", conversation.Blocked);
            entry.WriteNumber("readSeq", conversation.ReadSeq);
            entry.WriteNumber("unread", conversation.Unread);
            entry.WriteBoolean("request", conversation.Request);
            entry.WriteNumber("rev", conversation.Rev);
        });
    });

    /// <summary>The ok of block, unblock and forget: the other user's registered spelling.</summary>
    public static byte[] OtherUser(RequestId id, UserIdentity user) => ServerFrames.Ok(id, writer => writer.WriteString("user", user.Username));

    public static byte[] Changed(RequestId id, string? group, string? with, long seq) => ServerFrames.Ok(id, writer =>
    {
        ServerFrames.WriteConversation(writer, group, with);
        writer.WriteNumber("seq", seq);
    });

    public static byte[] ReadMarked(RequestId id, ReadMarker marker) => ServerFrames.Ok(id, writer => ServerFrames.WriteMarkerFields(writer, marker));

    public static byte[] Done(RequestId id) => ServerFrames.Ok(id);

    /// <summary>Only a socket that asked for a later revision hears of revisions: a version 1 ok stays as it was.</summary>
    private static void WriteProtocol(Utf8JsonWriter writer, int protocol)
    {
        if (protocol > ProtocolRevisions.First)
        {
            writer.WriteNumber("protocol", protocol);
        }
    }

    private static void WriteIdentity(Utf8JsonWriter writer, UserIdentity user)
    {
        writer.WriteString("userId", user.UserId);
        writer.WriteString("username", user.Username);
    }

    private static void WriteMembers(Utf8JsonWriter writer, IEnumerable<MemberInfo> members) =>
        WriteObjects(writer, "members", members, static (entry, member) =>
        {
            entry.WriteString("userId", member.UserId);
            entry.WriteString("username", member.Username);
            entry.WriteBoolean("online", member.Online);
            entry.WriteString("role", WireNames.Of(member.Role));
        });

    /// <summary>An array of one JSON object per item, each with the fields <paramref name="writeFields"/> writes.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStartObject();
            writeFields(writer, item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
