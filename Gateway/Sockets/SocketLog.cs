using System.Net;
using OrleansChat.Gateway.Protocol;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// What the gateway logs about a socket (inside its <see cref="SocketLogScope"/>). Generated, so that a line
/// below the configured level costs nothing on the request path. Requests print redacted: no password or
/// token ever reaches a log.
/// </summary>
internal static partial class SocketLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket opened from {RemoteAddress}")]
    public static partial void Opened(ILogger logger, IPAddress? remoteAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket closed")]
    public static partial void Closed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket ended abruptly")]
    public static partial void EndedAbruptly(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {Request}")]
    public static partial void Request(ILogger logger, ClientRequest request);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Type} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Type} failed: the cluster did not answer")]
    public static partial void ClusterDidNotAnswer(ILogger logger, Exception exception, string type);
}
