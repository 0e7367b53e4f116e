using System.Globalization;
using System.Text.Json;

namespace OrleansChat.Client;

/// <summary>Reads the server's JSON frames into the client's typed records.</summary>
internal static class Frames
{
    public static string Type(JsonElement frame) =>
        frame.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "";

    /// <summary>Throws the exception for the error code when the reply is an error.</summary>
    public static JsonElement EnsureOk(JsonElement reply)
    {
        if (Type(reply) == "error")
        {
            throw ChatErrorException.For(reply.GetProperty("code").GetString()!, reply.GetProperty("message").GetString()!, RetryAfter(reply));
        }

        return reply;
    }

    private static TimeSpan? RetryAfter(JsonElement reply) =>
        reply.TryGetProperty("retryAfterMs", out var wait) && wait.ValueKind == JsonValueKind.Number && wait.TryGetInt64(out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    public static ChatEvent? Event(JsonElement frame) => Type(frame) switch
    {
        "message" => Message(frame),
        "direct" => Direct(frame),
        "edited" => new MessageChanged(OptionalStr(frame, "group"), OptionalStr(frame, "with"), frame.GetProperty("seq").GetInt64(), Str(frame, "text"), Deleted: false, By: null, OptionalLong(frame, "rev")),
        "deleted" => new MessageChanged(OptionalStr(frame, "group"), OptionalStr(frame, "with"), frame.GetProperty("seq").GetInt64(), "", Deleted: true, Str(frame, "by"), OptionalLong(frame, "rev")),
        "member" => new MemberChanged(Str(frame, "group"), Str(frame, "user"), Str(frame, "action"), Str(frame, "by"), Str(frame, "role")),
        "invitation" => new InvitationReceived(Str(frame, "group"), Str(frame, "by")),
        "group_deleted" => new GroupDeleted(Str(frame, "group"), Str(frame, "by")),
        "read" => new ReadMarked(OptionalStr(frame, "group"), OptionalStr(frame, "with"), frame.GetProperty("seq").GetInt64()),
        "presence" => new PresenceChanged(Str(frame, "group"), Str(frame, "user"), Str(frame, "status")),
        "typing" => new UserTyping(Str(frame, "group"), Str(frame, "user")),
        _ => null,
    };

    public static MessageReceived Message(JsonElement frame)
    {
        var stored = Stored(frame);
        return new(Str(frame, "group"), stored.Seq, stored.From, stored.Text, stored.Ts, stored.ClientMsgId, stored.Edited, stored.Deleted);
    }

    /// <summary>A message from a changes reply (as history shows it) as the change it is, at the reply's <paramref name="rev"/>.</summary>
    public static MessageChanged Change(JsonElement message, string? group, string? with, long rev)
    {
        var stored = Stored(message);
        return new MessageChanged(group, with, stored.Seq, stored.Text, stored.Deleted, OptionalStr(message, "deletedBy"), rev);
    }

    public static DirectReceived Direct(JsonElement frame)
    {
        var stored = Stored(frame);
        return new(Str(frame, "with"), stored.Seq, stored.From, stored.Text, stored.Ts, stored.ClientMsgId, stored.Edited, stored.Deleted);
    }

    /// <summary>The fields a group's and a direct message share (the server writes them in one place too).</summary>
    private static (long Seq, string From, string Text, DateTimeOffset Ts, string? ClientMsgId, bool Edited, bool Deleted) Stored(JsonElement frame) => (
        frame.GetProperty("seq").GetInt64(),
        Str(frame, "from"),
        Str(frame, "text"),
        Time(frame, "ts"),
        OptionalStr(frame, "clientMsgId"),
        Flag(frame, "edited"),
        Flag(frame, "deleted"));

    /// <summary>A true/false field that is false when left out (by servers before it existed, or by choice).</summary>
    public static bool Flag(JsonElement frame, string property) =>
        frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A whole-number field that servers before it existed leave out: 0 then.</summary>
    public static long OptionalLong(JsonElement frame, string property) =>
        frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static IReadOnlyList<Member> Members(JsonElement reply) =>
        reply.GetProperty("members").EnumerateArray()
            .Select(member => new Member(Str(member, "userId"), Str(member, "username"), member.GetProperty("online").GetBoolean(), OptionalStr(member, "role") ?? "member"))
            .ToList();

    /// <summary>Whether a login or auth ok confirms the protocol revision asked for.</summary>
    public static bool SpeaksRevision(JsonElement reply, int revision) =>
        reply.TryGetProperty("protocol", out var protocol) && protocol.ValueKind == JsonValueKind.Number && protocol.TryGetInt32(out var value) && value >= revision;

    public static string Str(JsonElement frame, string property) => frame.GetProperty(property).GetString()!;

    public static string? OptionalStr(JsonElement frame, string property) =>
        frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static DateTimeOffset Time(JsonElement frame, string property) =>
        DateTimeOffset.ParseExact(Str(frame, property), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
