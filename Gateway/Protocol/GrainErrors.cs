using OrleansChat.Errors;
using OrleansChat.Rules;
using StackExchange.Redis;

namespace OrleansChat.Gateway.Protocol;

/// <summary>Maps what a grain call threw to the protocol's error code and a message for people.</summary>
internal static class GrainErrors
{
    public static (ChatErrorCode Code, string Message) Describe(Exception exception) => exception switch
    {
        ChatException chat => (chat.Code, chat.Message),
        TimeoutException or OrleansException or RedisException => Describe(ChatRules.ClusterUnreachable()),
        _ => (ChatErrorCode.Internal, "internal error"),
    };
}
