using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Rules;

namespace OrleansChat.Gateway.Protocol;

/// <summary>
/// Turns one text frame into a request, checking every field against the protocol (docs/protocol.md) and
/// <see cref="ChatRules"/> at the edge, so that grains only ever see well-formed input. Never throws: a bad
/// frame becomes an <see cref="InvalidRequest"/>.
/// </summary>
internal static class RequestParser
{
    public static ClientRequest Parse(ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            return new InvalidRequest(RequestId.None, ChatErrorCode.BadRequest, "the frame is not valid JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new InvalidRequest(RequestId.None, ChatErrorCode.BadRequest, "a frame must be one JSON object");
            }

            var id = RequestId.None;
            try
            {
                if (TryGetField(root, "id", out var idElement))
                {
                    if (!IsValidId(idElement))
                    {
                        return new InvalidRequest(new RequestId(null, idElement.GetRawText()), ChatErrorCode.BadRequest, ChatRules.RequestId.Message);
                    }

                    id = new RequestId(idElement.GetString());
                }

                return ParseFields(root, id);
            }
            catch (ChatException ex)
            {
                return new InvalidRequest(id, ex.Code, ex.Message);
            }
        }
    }

    private static ClientRequest ParseFields(JsonElement root, RequestId id)
    {
        if (!TryGetField(root, "type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String || !TryGetString(typeElement, out var type))
        {
            throw Invalid("type must be a string");
        }

        return type switch
        {
            "register" => new RegisterRequest(id, Username(root), Password(root)),
            "login" => new LoginRequest(id, Username(root), Password(root), Protocol(root)),
            "auth" => new AuthRequest(id, RequiredString(root, "token"), Protocol(root)),
            "logout" => new LogoutRequest(id),
            "change_password" => new ChangePasswordRequest(id, RequiredString(root, "password"), ChatRules.Password.Require(RequiredString(root, "newPassword"))),
            "join" => new JoinRequest(id, Group(root)),
            "leave" => new LeaveRequest(id, Group(root)),
            "publish" => new PublishRequest(id, Group(root), Text(root), ClientMsgId(root)),
            "history" when IsDirect(root) => new DirectHistoryRequest(id, OtherUser(root, "with"), HistoryQuery(root)),
            "history" => new HistoryRequest(id, Group(root), HistoryQuery(root)),
            "members" => new MembersRequest(id, Group(root)),
            "groups" => new GroupsRequest(id),
            "typing" => new TypingRequest(id, Group(root)),
            "ping" => new PingRequest(id),
            "direct" => new DirectRequest(id, OtherUser(root, "to"), Text(root), ClientMsgId(root)),
            "conversations" => new ConversationsRequest(id),
            "block" => new BlockRequest(id, OtherUser(root, "user"), Blocked: true),
            "unblock" => new BlockRequest(id, OtherUser(root, "user"), Blocked: false),
            "forget" => new ForgetRequest(id, OtherUser(root, "user")),
            "create" => new CreateRequest(id, Group(root), Visibility(root)),
            "delete_group" => new DeleteGroupRequest(id, Group(root)),
            _ when WireNames.ModerationRequests.TryGetValue(type, out var action) => new ModerateRequest(id, Group(root), OtherUser(root, "user"), action),
            "edit" when IsDirect(root) => new EditRequest(id, null, OtherUser(root, "with"), RequiredSeq(root), Text(root)),
            "edit" => new EditRequest(id, Group(root), null, RequiredSeq(root), Text(root)),
            "delete" when IsDirect(root) => new DeleteRequest(id, null, OtherUser(root, "with"), RequiredSeq(root)),
            "delete" => new DeleteRequest(id, Group(root), null, RequiredSeq(root)),
            "changes" when IsDirect(root) => new ChangesRequest(id, null, OtherUser(root, "with"), Required(root, "after", ChatRules.HistoryAfter), Limit(root)),
            "changes" => new ChangesRequest(id, Group(root), null, Required(root, "after", ChatRules.HistoryAfter), Limit(root)),
            "read" when IsDirect(root) => new ReadRequest(id, null, OtherUser(root, "with"), RequiredSeq(root)),
            "read" => new ReadRequest(id, Group(root), null, RequiredSeq(root)),
            _ => throw Invalid($"unknown type {type}"),
        };
    }

    private static bool IsValidId(JsonElement id) =>
        id.ValueKind == JsonValueKind.String
        && TryGetString(id, out var value)
        && ChatRules.RequestId.IsMetBy(value);

    private static string Username(JsonElement root) => ChatRules.Username.Require(Names.Normalize(RequiredString(root, "username")));

    private static string Password(JsonElement root) => ChatRules.Password.Require(RequiredString(root, "password"));

    /// <summary>Another user named in a request: a username, matched ignoring case as at login.</summary>
    private static string OtherUser(JsonElement root, string field)
    {
        var username = Names.Normalize(RequiredString(root, field));
        return ChatRules.Username.IsMetBy(username)
            ? username
            : throw Invalid($"{field} must be a username ({ChatLimits.UsernameMinLength} to {ChatLimits.UsernameMaxLength} letters, digits or _ . -)");
    }

    /// <summary>Whether a request that names a group or another user names a user (with); both is bad_request.</summary>
    private static bool IsDirect(JsonElement root)
    {
        if (!TryGetField(root, "with", out _))
        {
            return false;
        }

        return !TryGetField(root, "group", out _) ? true : throw Invalid("give group or with, not both");
    }

    private static GroupVisibility Visibility(JsonElement root)
    {
        if (!TryGetField(root, "visibility", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return GroupVisibility.Public;
        }

        return element.ValueKind == JsonValueKind.String && TryGetString(element, out var value) && value is "public" or "private"
            ? value == "private" ? GroupVisibility.Private : GroupVisibility.Public
            : throw Invalid("visibility must be public or private");
    }

    private static long RequiredSeq(JsonElement root) => Required(root, "seq", ChatRules.ReadSeq);

    private static long Required(JsonElement root, string name, Rule<long?> rule) =>
        TryGetField(root, name, out _) ? OptionalSeq(root, name, rule) ?? throw rule.Violation() : throw Invalid($"missing field {name}");

    private static int Protocol(JsonElement root)
    {
        if (!TryGetField(root, "protocol", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ProtocolRevisions.First;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var revision) && ProtocolRevisions.IsKnown(revision)
            ? revision
            : throw Invalid($"protocol must be {ProtocolRevisions.First} or {ProtocolRevisions.Latest}");
    }

    private static HistoryQuery HistoryQuery(JsonElement root) =>
        new(OptionalSeq(root, "after", ChatRules.HistoryAfter), OptionalSeq(root, "before", ChatRules.HistoryBefore), Limit(root));

    private static string Group(JsonElement root) => ChatRules.Group.Require(Names.Normalize(RequiredString(root, "group")));

    private static string Text(JsonElement root) => ChatRules.TextLength.Require(ChatRules.TextNotEmpty.Require(RequiredString(root, "text")));

    private static string? ClientMsgId(JsonElement root)
    {
        if (!TryGetField(root, "clientMsgId", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String && TryGetString(element, out var value) && ChatRules.ClientMsgId.IsMetBy(value)
            ? value
            : throw ChatRules.ClientMsgId.Violation();
    }

    private static long? OptionalSeq(JsonElement root, string name, Rule<long?> rule)
    {
        if (!TryGetField(root, name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var seq) && rule.IsMetBy(seq)
            ? seq
            : throw rule.Violation();
    }

    private static int Limit(JsonElement root)
    {
        if (!TryGetField(root, "limit", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ChatLimits.HistoryDefaultLimit;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var limit) && ChatRules.HistoryLimit.IsMetBy(limit))
        {
            return (int)Math.Min(limit, ChatLimits.HistoryMaxLimit);
        }

        // A huge whole number (beyond 64 bits) is still a valid "larger value", capped like any other.
        return element.ValueKind == JsonValueKind.Number && IsLargePositiveInteger(element.GetRawText())
            ? ChatLimits.HistoryMaxLimit
            : throw ChatRules.HistoryLimit.Violation();
    }

    private static bool IsLargePositiveInteger(string raw) => raw.Length > 18 && raw.All(char.IsAsciiDigit);

    private static string RequiredString(JsonElement root, string name)
    {
        if (!TryGetField(root, name, out var element))
        {
            throw Invalid($"missing field {name}");
        }

        return element.ValueKind == JsonValueKind.String && TryGetString(element, out var value)
            ? value
            : throw Invalid($"{name} must be a string");
    }

    /// <summary>
    /// Looks a field up. Comparing names can meet a name that escapes a lone surrogate, which no string can
    /// hold, and System.Text.Json then throws; such names are looked past, one by one.
    /// </summary>
    private static bool TryGetField(JsonElement root, string name, out JsonElement value)
    {
        try
        {
            return root.TryGetProperty(name, out value);
        }
        catch (InvalidOperationException)
        {
        }

        foreach (var property in root.EnumerateObject())
        {
            try
            {
                if (property.NameEquals(name))
                {
                    value = property.Value;
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        value = default;
        return false;
    }

    /// <summary>A JSON string can escape a lone surrogate, which has no UTF-16 string; such a value is invalid.</summary>
    private static bool TryGetString(JsonElement element, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static ChatException Invalid(string message) => new(ChatErrorCode.BadRequest, message);
}
