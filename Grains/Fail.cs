using OrleansChat.Errors;

namespace OrleansChat;

/// <summary>Short constructors for the expected failures grains report.</summary>
internal static class Fail
{
    public static ChatException Unauthorized(string message) => new(ChatErrorCode.Unauthorized, message);

    public static ChatException Forbidden(string message) => new(ChatErrorCode.Forbidden, message);

    public static ChatException NotFound(string message) => new(ChatErrorCode.NotFound, message);

    public static ChatException Conflict(string message) => new(ChatErrorCode.Conflict, message);

    public static ChatException Unavailable(string message) => new(ChatErrorCode.Unavailable, message);
}
