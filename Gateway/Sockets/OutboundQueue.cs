using System.Net.WebSockets;
using System.Threading.Channels;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// A socket's outgoing frames, written by one task so that fan-out never waits on a slow client. The
/// bytes waiting here are bounded; a client that lets them pile up past the bound is closed with 1013.
/// </summary>
internal sealed class OutboundQueue
{
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly WebSocket _socket;
    private readonly long _maxQueuedBytes;
    private readonly TimeSpan _closeTimeout;
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus;
    private string _closeReason = "";

    public OutboundQueue(WebSocket socket, long maxQueuedBytes, TimeSpan closeTimeout)
    {
        _socket = socket;
        _maxQueuedBytes = maxQueuedBytes;
        _closeTimeout = closeTimeout;
        Completion = WriteFramesAsync();
    }

    public Task Completion { get; }

    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>Queues a frame; false when the socket is closing. The same array may go to many sockets.</summary>
    public bool Send(byte[] frame)
    {
        if (IsClosing)
        {
            return false;
        }

        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _maxQueuedBytes)
        {
            Close(TryAgainLater, "too far behind; reconnect and catch up with history");
            return false;
        }

        return _frames.Writer.TryWrite(frame);
    }

    /// <summary>
    /// Sends the close frame after the frames already queued (all but a 1013, which drops them) and drops
    /// the connection if the client has not completed the handshake within the close timeout.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _frames.Writer.TryComplete();
        _ = AbortIfStillOpenAfter(_closeTimeout);
    }

    private async Task WriteFramesAsync()
    {
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync())
            {
                if (_closeStatus == TryAgainLater)
                {
                    break;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                Interlocked.Add(ref _queuedBytes, -frame.Length);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away; the receive loop notices and cleans up.
        }
    }

    private async Task AbortIfStillOpenAfter(TimeSpan timeout)
    {
        await Task.Delay(timeout);
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }
    }
}
