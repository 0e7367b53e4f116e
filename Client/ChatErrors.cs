namespace OrleansChat.Client;

/// <summary>
/// The server answered a request with an error. Each protocol error code has its own subclass, so
/// callers catch exactly the failures they can handle (e.g. <see cref="ChatForbiddenException"/>).
/// </summary>
public class ChatErrorException(string code, string message) : Exception(message)
{
    public string Code => code;

    public static ChatErrorException For(string code, string message, TimeSpan? retryAfter = null) => code switch
    {
        "bad_request" => new ChatBadRequestException(message),
        "unauthorized" => new ChatUnauthorizedException(message),
        "forbidden" => new ChatForbiddenException(message),
        "not_found" => new ChatNotFoundException(message),
        "conflict" => new ChatConflictException(message),
        "too_large" => new ChatTooLargeException(message),
        "rate_limited" => new ChatRateLimitedException(message),
        "unavailable" => new ChatUnavailableException(message),
        "overloaded" => new ChatOverloadedException(message, retryAfter ?? ChatOverloadedException.DefaultRetryAfter),
        _ => new ChatInternalErrorException(code, message),
    };
}

public sealed class ChatBadRequestException(string message) : ChatErrorException("bad_request", message);

public sealed class ChatUnauthorizedException(string message) : ChatErrorException("unauthorized", message);

public sealed class ChatForbiddenException(string message) : ChatErrorException("forbidden", message);

public sealed class ChatNotFoundException(string message) : ChatErrorException("not_found", message);

public sealed class ChatConflictException(string message) : ChatErrorException("conflict", message);

public sealed class ChatTooLargeException(string message) : ChatErrorException("too_large", message);

public sealed class ChatRateLimitedException(string message) : ChatErrorException("rate_limited", message);

/// <summary>The cluster behind the gateway could not be reached; retrying later may succeed.</summary>
public sealed class ChatUnavailableException(string message) : ChatErrorException("unavailable", message);

/// <summary>
/// The server refused a publish, without storing it, because it is past its capacity; it may be sent again
/// after <see cref="RetryAfter"/>. <see cref="ChatClient.PublishAsync"/> does so by itself.
/// </summary>
public sealed class ChatOverloadedException(string message, TimeSpan retryAfter) : ChatErrorException("overloaded", message)
{
    /// <summary>The wait when a server sends no hint.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public TimeSpan RetryAfter => retryAfter;
}

public sealed class ChatInternalErrorException(string code, string message) : ChatErrorException(code, message);

/// <summary>The connection to the server is gone (or never came up); no reply will arrive.</summary>
public sealed class ChatDisconnectedException : Exception
{
    public ChatDisconnectedException()
    {
    }

    public ChatDisconnectedException(string message)
        : base(message)
    {
    }

    public ChatDisconnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
