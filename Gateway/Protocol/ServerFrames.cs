using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Protocol;

/// <summary>Encodes the frames the server sends, straight to UTF-8 bytes; the ok replies are in <see cref="Replies"/>.</summary>
internal static class ServerFrames
{
    // Escaping every non-ASCII character would make non-Latin chat several times larger on the wire.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Ok(RequestId id, Action<Utf8JsonWriter>? writeFields = null) => Encode(writer =>
    {
        writer.WriteString("type", "ok");
        id.WriteTo(writer);
        writeFields?.Invoke(writer);
    });

    public static byte[] Error(RequestId id, ChatErrorCode code, string message, TimeSpan? retryAfter = null) => Encode(writer =>
    {
        writer.WriteString("type", "error");
        id.WriteTo(writer);
        writer.WriteString("code", WireNames.Of(code));
        writer.WriteString("message", message);
        if (retryAfter is { } wait)
        {
            writer.WriteNumber("retryAfterMs", (long)Math.Ceiling(wait.TotalMilliseconds));
        }
    });

    public static byte[] Pong(RequestId id) => Encode(writer =>
    {
        writer.WriteString("type", "pong");
        id.WriteTo(writer);
    });

    public static byte[] Message(string group, ChatMessage message) => Encode(writer => WriteMessageFields(writer, group, message));

    public static byte[] Presence(string group, string username, PresenceStatus status) => Encode(writer =>
    {
        writer.WriteString("type", "presence");
        writer.WriteString("group", group);
        writer.WriteString("user", username);
        writer.WriteString("status", WireNames.Of(status));
    });

    public static byte[] Typing(string group, string username) => Encode(writer =>
    {
        writer.WriteString("type", "typing");
        writer.WriteString("group", group);
        writer.WriteString("user", username);
    });

    /// <summary>A direct message as one participant sees it: <paramref name="with"/> is the other one.</summary>
    public static byte[] Direct(string with, ChatMessage message) => Encode(writer => WriteDirectFields(writer, with, message));

    /// <summary>An owner or admin acted on a user of the group; <c>role</c> is the user's role afterwards.</summary>
    public static byte[] Member(string group, MemberChanged change) => Member(group, change.Username, change.Action, change.By, change.Role);

    public static byte[] Member(string group, string user, MemberAction action, string by, GroupRole role) => Encode(writer =>
    {
        writer.WriteString("type", "member");
        writer.WriteString("group", group);
        writer.WriteString("user", user);
        writer.WriteString("action", WireNames.Of(action));
        writer.WriteString("by", by);
        writer.WriteString("role", WireNames.Of(role));
    });

    public static byte[] GroupDeleted(string group, string by) => GroupNotice("group_deleted", group, by);

    public static byte[] Invitation(string group, string by) => GroupNotice("invitation", group, by);

    /// <summary>The user marked a conversation read (on this socket or another one).</summary>
    public static byte[] Read(ReadMarker marker) => Encode(writer =>
    {
        writer.WriteString("type", "read");
        WriteMarkerFields(writer, marker);
    });

    /// <summary>The conversation (group or with) and seq of a read marker, shared by the read event and the read ok.</summary>
    public static void WriteMarkerFields(Utf8JsonWriter writer, ReadMarker marker)
    {
        WriteConversation(writer, marker.Group, marker.With);
        writer.WriteNumber("seq", marker.Seq);
    }

    /// <summary>The fields of a message, shared by the message event and the messages of a history reply.</summary>
    public static void WriteMessageFields(Utf8JsonWriter writer, string group, ChatMessage message)
    {
        writer.WriteString("type", "message");
        writer.WriteString("group", group);
        WriteStoredFields(writer, message);
    }

    /// <summary>The fields of a direct message, shared by the direct event and the messages of a history reply.</summary>
    public static void WriteDirectFields(Utf8JsonWriter writer, string with, ChatMessage message)
    {
        writer.WriteString("type", "direct");
        writer.WriteString("with", with);
        WriteStoredFields(writer, message);
    }

    private static void WriteStoredFields(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteNumber("seq", message.Seq);
        writer.WriteString("from", message.From);
        writer.WriteString("text", message.Text);
        writer.WriteString("ts", WireNames.Timestamp(message.Ts));
        if (message.ClientMsgId is null)
        {
            writer.WriteNull("clientMsgId");
        }
        else
        {
            writer.WriteString("clientMsgId", message.ClientMsgId);
        }

        // Only on a message changed after it was stored, so that every other frame stays as version 1 spells it.
        if (message.Deleted)
        {
            writer.WriteBoolean("deleted", true);
            writer.WriteString("deletedBy", message.DeletedBy);
        }
        else if (message.EditedAt is { } editedAt)
        {
            writer.WriteBoolean("edited", true);
            writer.WriteString("editedAt", WireNames.Timestamp(editedAt));
        }
    }

    /// <summary>
    /// A stored message was edited or deleted: <c>edited</c> with its text now, or <c>deleted</c>, in a group or the
    /// direct conversation with <paramref name="with"/>.
    /// </summary>
    public static byte[] Changed(string? group, string? with, MessageChanged change) => Encode(writer =>
    {
        var message = change.Message;
        writer.WriteString("type", message.Deleted ? "deleted" : "edited");
        WriteConversation(writer, group, with);
        writer.WriteNumber("seq", message.Seq);
        writer.WriteNumber("rev", change.Rev);
        if (message.Deleted)
        {
            writer.WriteString("by", message.DeletedBy);
        }
        else
        {
            writer.WriteString("text", message.Text);
            writer.WriteString("editedAt", WireNames.Timestamp(message.EditedAt ?? message.Ts));
        }
    });

    /// <summary>The field that names a conversation in a frame: <c>group</c>, or <c>with</c> for a direct one.</summary>
    public static void WriteConversation(Utf8JsonWriter writer, string? group, string? with)
    {
        if (group is not null)
        {
            writer.WriteString("group", group);
        }
        else
        {
            writer.WriteString("with", with);
        }
    }

    private static byte[] GroupNotice(string type, string group, string by) => Encode(writer =>
    {
        writer.WriteString("type", type);
        writer.WriteString("group", group);
        writer.WriteString("by", by);
    });

    private static byte[] Encode(Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
