using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.History;

namespace OrleansChat.Gateway.Protocol;

/// <summary>
/// Turns one text frame into a request, checking every field against PROTOCOL.md at the edge so that
/// grains only ever see well-formed input. Never throws: a bad frame becomes an <see cref="InvalidRequest"/>.
/// </summary>
internal static class RequestParser
{
    private const int MaxIdLength = 64;

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
            if (root.TryGetProperty("id", out var idElement))
            {
                if (!IsValidId(idElement))
                {
                    return new InvalidRequest(new RequestId(null, idElement.GetRawText()), ChatErrorCode.BadRequest, "id must be a string of 1 to 64 characters");
                }

                id = new RequestId(idElement.GetString());
            }

            try
            {
                return ParseFields(root, id);
            }
            catch (InvalidFieldException ex)
            {
                return new InvalidRequest(id, ex.Code, ex.Message);
            }
        }
    }

    private static ClientRequest ParseFields(JsonElement root, RequestId id)
    {
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidFieldException("type must be a string");
        }

        var type = typeElement.GetString();
        return type switch
        {
            "register" => new RegisterRequest(id, Username(root), Password(root)),
            "login" => new LoginRequest(id, Username(root), Password(root)),
            "auth" => new AuthRequest(id, RequiredString(root, "token")),
            "join" => new JoinRequest(id, Group(root)),
            "leave" => new LeaveRequest(id, Group(root)),
            "publish" => new PublishRequest(id, Group(root), Text(root), ClientMsgId(root)),
            "history" => new HistoryRequest(id, Group(root), new HistoryQuery(
                OptionalSeq(root, "after"), OptionalSeq(root, "before"), Limit(root))),
            "members" => new MembersRequest(id, Group(root)),
            "groups" => new GroupsRequest(id),
            "typing" => new TypingRequest(id, Group(root)),
            "ping" => new PingRequest(id),
            _ => throw new InvalidFieldException($"unknown type {type}"),
        };
    }

    private static bool IsValidId(JsonElement id) =>
        id.ValueKind == JsonValueKind.String
        && TryGetString(id, out var value)
        && Names.CodePointLength(value) is >= 1 and <= MaxIdLength;

    private static string Username(JsonElement root)
    {
        var username = RequiredString(root, "username");
        return Names.IsValidUsername(username)
            ? username
            : throw new InvalidFieldException("username must be 3 to 32 characters of A-Z a-z 0-9 _ . -");
    }

    private static string Password(JsonElement root)
    {
        var password = RequiredString(root, "password");
        return Names.IsValidPassword(password)
            ? password
            : throw new InvalidFieldException("password must be 8 to 128 characters");
    }

    private static string Group(JsonElement root)
    {
        var group = RequiredString(root, "group");
        return Names.IsValidGroup(group)
            ? group
            : throw new InvalidFieldException("group must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
    }

    private static string Text(JsonElement root)
    {
        var text = RequiredString(root, "text");
        var length = Names.CodePointLength(text);
        if (length == 0)
        {
            throw new InvalidFieldException("text must not be empty");
        }

        return length <= ChatLimits.TextMaxLength
            ? text
            : throw new InvalidFieldException($"text is longer than {ChatLimits.TextMaxLength} characters", ChatErrorCode.TooLarge);
    }

    private static string? ClientMsgId(JsonElement root)
    {
        if (!root.TryGetProperty("clientMsgId", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            && TryGetString(element, out var value)
            && Names.CodePointLength(value) is >= 1 and <= ChatLimits.ClientMsgIdMaxLength
                ? value
                : throw new InvalidFieldException("clientMsgId must be a string of 1 to 64 characters");
    }

    private static long? OptionalSeq(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var seq) && seq >= 0
            ? seq
            : throw new InvalidFieldException($"{name} must be a whole number, 0 or more");
    }

    private static int Limit(JsonElement root)
    {
        if (!root.TryGetProperty("limit", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ChatLimits.HistoryDefaultLimit;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var limit) && limit >= 1)
        {
            return (int)Math.Min(limit, ChatLimits.HistoryMaxLimit);
        }

        // A huge whole number (beyond 64 bits) is still a valid "larger value", capped like any other.
        return element.ValueKind == JsonValueKind.Number && IsLargePositiveInteger(element.GetRawText())
            ? ChatLimits.HistoryMaxLimit
            : throw new InvalidFieldException("limit must be a whole number, 1 or more");
    }

    private static bool IsLargePositiveInteger(string raw) => raw.Length > 18 && raw.All(char.IsAsciiDigit);

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            throw new InvalidFieldException($"missing field {name}");
        }

        return element.ValueKind == JsonValueKind.String && TryGetString(element, out var value)
            ? value
            : throw new InvalidFieldException($"{name} must be a string");
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

    private sealed class InvalidFieldException(string message, ChatErrorCode code = ChatErrorCode.BadRequest) : Exception(message)
    {
        public ChatErrorCode Code => code;
    }
}
