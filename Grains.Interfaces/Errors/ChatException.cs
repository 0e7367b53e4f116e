namespace OrleansChat.Errors;

/// <summary>
/// An expected failure of a chat operation (wrong password, not a member, ...). Grains throw it,
/// Orleans carries it to the caller, and the gateway turns it into an error reply.
/// </summary>
[GenerateSerializer, Alias("OrleansChat.ChatException")]
public sealed class ChatException : Exception
{
    public ChatException()
    {
    }

    public ChatException(string message)
        : base(message)
    {
    }

    public ChatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ChatException(ChatErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    [Id(0)]
    public ChatErrorCode Code { get; init; } = ChatErrorCode.Internal;

    /// <summary>How long the caller should wait before trying again, where the refusal knows (sent as <c>retryAfterMs</c>).</summary>
    [Id(1)]
    public TimeSpan? RetryAfter { get; init; }
}
