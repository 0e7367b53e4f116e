namespace OrleansChat.Errors;

/// <summary>The error codes of the wire protocol; clients branch on them.</summary>
public enum ChatErrorCode
{
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    RateLimited,
    Unavailable,
    Internal,

    /// <summary>The gateway is past its capacity and refused the request before acting on it; retry after the hint.</summary>
    Overloaded,
}
