using OrleansChat.Errors;
using StackExchange.Redis;

namespace OrleansChat.Gateway.Protocol;

/// <summary>Maps what a grain call threw to the protocol's error code and a message for people.</summary>
internal static class GrainErrors
{
    public static (ChatErrorCode Code, string Message) Describe(Exception exception) => exception switch
    {
        ChatException chat => (chat.Code, chat.Message),
        TimeoutException or OrleansException or RedisException =>
            (ChatErrorCode.Unavailable, "the chat cluster is not reachable right now; retry"),
        _ => (ChatErrorCode.Internal, "internal error"),
    };
}
