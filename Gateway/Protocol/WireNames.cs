using System.Globalization;
using OrleansChat.Errors;
using OrleansChat.Groups;

namespace OrleansChat.Gateway.Protocol;

/// <summary>How enums and times are spelled on the wire.</summary>
internal static class WireNames
{
    public static string Of(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest => "bad_request",
        ChatErrorCode.Unauthorized => "unauthorized",
        ChatErrorCode.Forbidden => "forbidden",
        ChatErrorCode.NotFound => "not_found",
        ChatErrorCode.Conflict => "conflict",
        ChatErrorCode.TooLarge => "too_large",
        ChatErrorCode.RateLimited => "rate_limited",
        ChatErrorCode.Unavailable => "unavailable",
        ChatErrorCode.Overloaded => "overloaded",
        _ => "internal",
    };

    public static string Of(PresenceStatus status) => status switch
    {
        PresenceStatus.Joined => "joined",
        PresenceStatus.Left => "left",
        PresenceStatus.Online => "online",
        _ => "offline",
    };

    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
