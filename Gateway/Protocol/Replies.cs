using System.Text.Json;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Protocol;

/// <summary>The ok reply to each request, as docs/protocol.md spells it.</summary>
internal static class Replies
{
    public static byte[] Registered(RequestId id, UserIdentity user) => ServerFrames.Ok(id, writer => WriteIdentity(writer, user));

    public static byte[] LoggedIn(RequestId id, LoginTicket ticket) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("token", ticket.Token);
        WriteIdentity(writer, ticket.User);
        writer.WriteString("expiresAt", WireNames.Timestamp(ticket.ExpiresAt));
    });

    public static byte[] Authenticated(RequestId id, UserIdentity user) => ServerFrames.Ok(id, writer => WriteIdentity(writer, user));

    public static byte[] Joined(RequestId id, string group, JoinOutcome outcome) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        writer.WriteNumber("lastSeq", outcome.LastSeq);
        WriteMembers(writer, outcome.Members);
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
        writer.WriteStartArray("messages");
        foreach (var message in result.Messages)
        {
            writer.WriteStartObject();
            ServerFrames.WriteMessageFields(writer, group, message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("more", result.More);
    });

    public static byte[] Members(RequestId id, string group, IEnumerable<MemberInfo> members) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteString("group", group);
        WriteMembers(writer, members);
    });

    public static byte[] Groups(RequestId id, IEnumerable<GroupSummary> groups) => ServerFrames.Ok(id, writer =>
    {
        writer.WriteStartArray("groups");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WriteString("group", group.Group);
            writer.WriteNumber("lastSeq", group.LastSeq);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static byte[] Done(RequestId id) => ServerFrames.Ok(id);

    private static void WriteIdentity(Utf8JsonWriter writer, UserIdentity user)
    {
        writer.WriteString("userId", user.UserId);
        writer.WriteString("username", user.Username);
    }

    private static void WriteMembers(Utf8JsonWriter writer, IEnumerable<MemberInfo> members)
    {
        writer.WriteStartArray("members");
        foreach (var member in members)
        {
            writer.WriteStartObject();
            writer.WriteString("userId", member.UserId);
            writer.WriteString("username", member.Username);
            writer.WriteBoolean("online", member.Online);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
