using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Presence;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Requests;
using OrleansChat.Limits;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Runs one socket from accept to close: reads frames, enforces the frame rules and the authentication
/// deadline, answers requests strictly one after another (so pipelined publishes keep their order) with
/// exactly one reply each (or none, as the protocol says), and finally releases the socket's groups and
/// presence.
/// </summary>
/// <remarks>
/// An idle socket waits in <see cref="RunAsync"/> itself, with no other async method of ours suspended
/// under it: each would keep a state machine per socket, and idle sockets are many.
/// </remarks>
internal sealed class SocketSession(
    RequestHandler handler,
    RequestLimits limits,
    ConnectionRegistry registry,
    OutboundBudget outboundBudget,
    FollowTable follows,
    PresenceReporter presence,
    IOptions<GatewayOptions> options,
    IOptions<LimitsOptions> limitsOptions,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<SocketSession> logger)
{
    private static readonly TimeSpan AbortLinger = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(HttpContext context)
    {
        var settings = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new ChatConnection(socket, context.Connection.RemoteIpAddress, settings, limitsOptions.Value, outboundBudget, clock);
        using var reader = new FrameReader(socket, settings.MaxFrameBytes);
        using (BeginScopeFor(connection, LogLevel.Debug))
        {
            SocketLog.Opened(logger, connection.RemoteAddress);
        }

        registry.Add(connection);
        follows.Open(connection);
        connection.CloseUnlessAuthenticatedWithin(settings.AuthenticationTimeout);
        try
        {
            // No RequestAborted token: the reads end by themselves when the connection drops, and the
            // token would cost every idle socket a CancellationTokenSource and a registration.
            while (true)
            {
                var header = await reader.WaitForMessageAsync();
                if (!await OnFrameAsync(connection, await reader.ReadAsync(header)))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            using (BeginScopeFor(connection, LogLevel.Debug))
            {
                SocketLog.EndedAbruptly(logger, ex);
            }

            await AwaitClientCloseAsync(socket, settings.CloseTimeout);
        }
        finally
        {
            using (BeginScope(connection))
            {
                await ReleaseAsync(connection);
                SocketLog.Closed(logger);
            }
        }
    }

    /// <summary>
    /// The scope of the lines about <paramref name="connection"/>, begun around each piece of work rather than
    /// held for the socket's life: an idle socket would keep the scope and the execution context carrying it.
    /// </summary>
    private IDisposable? BeginScope(ChatConnection connection) => logger.BeginScope(new SocketLogScope(connection));

    /// <summary>The connection's scope for a line at <paramref name="level"/>; none when that line is not written.</summary>
    private IDisposable? BeginScopeFor(ChatConnection connection, LogLevel level) =>
        logger.IsEnabled(level) ? BeginScope(connection) : null;

    /// <summary>Acts on one incoming frame; false once the client's close frame has been answered.</summary>
    private async Task<bool> OnFrameAsync(ChatConnection connection, IncomingFrame frame)
    {
        switch (frame.Kind)
        {
            case IncomingFrameKind.Closed:
                connection.Outbound.Close(WebSocketCloseStatus.NormalClosure, "");
                await connection.Outbound.Completion;
                return false;
            case IncomingFrameKind.Binary:
                connection.Outbound.Close(WebSocketCloseStatus.InvalidMessageType, "only text frames are accepted");
                break;
            case IncomingFrameKind.TooLarge:
                connection.Outbound.Close(WebSocketCloseStatus.MessageTooBig, $"a message may be at most {options.Value.MaxFrameBytes} bytes");
                break;
            case IncomingFrameKind.InvalidUtf8:
                connection.Outbound.Close(WebSocketCloseStatus.InvalidPayloadData, "text frames must be UTF-8");
                break;
            default:
                // Once closing, the remaining frames are only read to reach the client's close frame.
                if (!connection.Outbound.IsClosing)
                {
                    await HandleFrameAsync(connection, frame.Payload);
                }

                break;
        }

        return true;
    }

    private async Task HandleFrameAsync(ChatConnection connection, ReadOnlyMemory<byte> payload)
    {
        // Begun first: once the request is marked in flight, nothing may stand between it and the finally that ends it.
        using var scope = BeginScope(connection);
        if (!connection.BeginRequest())
        {
            return;
        }

        try
        {
            if (await ReplyToAsync(connection, RequestParser.Parse(payload)) is { } reply)
            {
                connection.Send(reply);
            }
        }
        finally
        {
            connection.EndRequest();
        }
    }

    /// <summary>The request's reply: its ok (null for a request without an id), or its error.</summary>
    private async Task<byte[]?> ReplyToAsync(ChatConnection connection, ClientRequest request)
    {
        metrics.FrameReceived(request);
        if (limits.Refusal(connection, request) is { } refusal)
        {
            return Error(request, refusal.Code, refusal.Message);
        }

        if (request is InvalidRequest invalid)
        {
            return Error(request, invalid.Code, invalid.Message);
        }

        var started = Stopwatch.GetTimestamp();
        SocketLog.Request(logger, request);
        try
        {
            var reply = await handler.HandleAsync(connection, request);
            limits.Completed(connection, request, error: null);
            if (request is PublishRequest or DirectRequest)
            {
                metrics.Published(Stopwatch.GetElapsedTime(started), request is DirectRequest ? "direct" : "group");
            }

            // A request without an id is answered only when it fails; a ping always gets its pong.
            if (!request.Id.IsPresent && request is not PingRequest)
            {
                return null;
            }

            metrics.FramesSent(request is PingRequest ? "pong" : "ok");
            return reply;
        }
        catch (Exception ex)
        {
            var (code, message) = GrainErrors.Describe(ex);
            limits.Completed(connection, request, code);
            if (code == ChatErrorCode.Internal)
            {
                SocketLog.RequestFailed(logger, ex, RequestNames.Of(request));
            }
            else if (code == ChatErrorCode.Unavailable)
            {
                SocketLog.ClusterDidNotAnswer(logger, ex, RequestNames.Of(request));
            }

            return Error(request, code, message, (ex as ChatException)?.RetryAfter);
        }
    }

    private byte[] Error(ClientRequest request, ChatErrorCode code, string message, TimeSpan? retryAfter = null)
    {
        metrics.ErrorReplied(code);
        metrics.FramesSent("error");
        return ServerFrames.Error(request.Id, code, message, retryAfter);
    }

    /// <summary>
    /// On invalid UTF-8 the WebSocket itself queues a 1007 close frame, aborts and throws. Ending the
    /// request at once would discard that frame unsent, so the connection lingers briefly first.
    /// </summary>
    private static async Task AwaitClientCloseAsync(WebSocket socket, TimeSpan timeout)
    {
        if (socket.State == WebSocketState.Aborted)
        {
            await Task.Delay(AbortLinger);
            return;
        }

        if (socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            var buffer = new byte[256];
            while ((await socket.ReceiveAsync(buffer, deadline.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client did not answer; the connection is dropped either way.
        }
    }

    private async Task ReleaseAsync(ChatConnection connection)
    {
        registry.Remove(connection);
        follows.Close(connection);
        if (connection.User is { } user)
        {
            await presence.SocketClosedAsync(user.UserId);
        }
    }
}
