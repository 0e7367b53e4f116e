using System.Net.WebSockets;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// A socket's outgoing frames, written by one writer at a time so that fan-out never waits on a slow
/// client. The writer runs only while frames are waiting (on the sender's thread until a send has to
/// wait): an idle socket holds no task, no channel and no buffer. The bytes waiting are bounded; a
/// client that lets them pile up past the bound is closed with 1013. They also count towards the gateway's
/// <see cref="OutboundBudget"/> until they are sent or dropped.
/// </summary>
internal sealed class OutboundQueue : IThreadPoolWorkItem
{
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly WebSocket _socket;
    private readonly long _maxQueuedBytes;
    private readonly TimeSpan _closeTimeout;
    private readonly OutboundBudget _budget;
    // Also the queue's lock: a monitor on an object every socket has anyway, where a Lock of its own would
    // cost each idle socket 40 bytes more.
    private readonly Queue<byte[]> _frames = new();
    private TaskCompletionSource? _completion;
    private bool _completed;
    private long _queuedBytes;
    private bool _writing;
    private volatile bool _closeRequested;
    private WebSocketCloseStatus _closeStatus;
    private string _closeReason = "";

    public OutboundQueue(WebSocket socket, long maxQueuedBytes, TimeSpan closeTimeout, OutboundBudget budget)
    {
        _socket = socket;
        _maxQueuedBytes = maxQueuedBytes;
        _closeTimeout = closeTimeout;
        _budget = budget;
    }

    /// <summary>Bytes queued and not yet sent (the frame being written included).</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>Completes once the close frame has been sent after a close was requested (or the client is gone).</summary>
    /// <remarks>Made on first request: most sockets never wait for it, and idle sockets are many.</remarks>
    public Task Completion
    {
        get
        {
            lock (_frames)
            {
                return _completed ? Task.CompletedTask : (_completion ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    public bool IsClosing => _closeRequested;

    /// <summary>
    /// Queues a frame; false when the socket is closing. The same array may go to many sockets. With
    /// <paramref name="writeHere"/> false an idle writer starts on the thread pool instead of this thread.
    /// </summary>
    public bool Send(byte[] frame, bool writeHere = true)
    {
        bool overBudget;
        bool writeNow;
        lock (_frames)
        {
            if (_closeRequested)
            {
                return false;
            }

            if (_queuedBytes + frame.Length > _maxQueuedBytes)
            {
                RequestCloseLocked(TryAgainLater, "too far behind; reconnect and catch up with history");
                _budget.SocketBoundPassed();
                return false;
            }

            _queuedBytes += frame.Length;
            _frames.Enqueue(frame);
            overBudget = _budget.Queued(frame.Length);
            writeNow = writeHere && !_writing;
            if (writeNow)
            {
                _writing = true;
            }
            else
            {
                StartWriterLocked();
            }
        }

        // Outside the lock: shedding closes other sockets' queues, and may pick this one.
        if (overBudget)
        {
            _budget.Shed();
        }

        if (!writeNow)
        {
            return true;
        }

        // The writer starts on the caller's thread: a WebSocket send normally completes at once (Kestrel
        // copies the frame into the connection's pipe and its own I/O loop makes the system call), so
        // fan-out costs no thread-pool hop per socket. A send that has to wait for a slow client returns
        // an unfinished task, and the writer goes on from there without holding up the caller.
        _ = WriteQueuedAsync();
        return true;
    }

    /// <summary>
    /// Sends the close frame after the frames already queued (all but a 1013, which drops them) and drops
    /// the connection if the client has not completed the handshake within the close timeout.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (_frames)
        {
            RequestCloseLocked(status, reason);
        }
    }

    private void RequestCloseLocked(WebSocketCloseStatus status, string reason)
    {
        if (_closeRequested)
        {
            return;
        }

        _closeRequested = true;
        _closeStatus = status;
        _closeReason = reason;
        if (status == TryAgainLater)
        {
            DropQueuedLocked();
        }

        StartWriterLocked();
        _ = AbortIfStillOpenAfter(_closeTimeout);
    }

    /// <summary>Starts the writer on the thread pool unless it is running, since the caller holds the lock.</summary>
    private void StartWriterLocked()
    {
        if (_writing)
        {
            return;
        }

        _writing = true;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>The writer's start on the thread pool; queueing the queue itself allocates nothing per frame.</summary>
    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync();

    private async Task WriteQueuedAsync()
    {
        try
        {
            bool closing;
            var sentBytes = 0;
            while (NextFrame(sentBytes, out closing) is { } frame)
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                sentBytes = frame.Length;
            }

            if (!closing)
            {
                return;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None);
            }
        }
        catch (Exception)
        {
            // The client went away (or the socket failed some other way); the receive loop notices and cleans
            // up. Nothing more is sent, and the bytes still counted go back to the budget in Complete.
            lock (_frames)
            {
                _closeRequested = true;
                DropQueuedLocked();
            }
        }

        Complete();
    }

    /// <summary>Drops the frames not yet being written, giving their bytes back to the budget at once.</summary>
    private void DropQueuedLocked()
    {
        long dropped = 0;
        foreach (var frame in _frames)
        {
            dropped += frame.Length;
        }

        _frames.Clear();
        _queuedBytes -= dropped;
        _budget.Released(dropped);
    }

    private void Complete()
    {
        TaskCompletionSource? completion;
        lock (_frames)
        {
            // The frame that was being written when the client went away.
            _budget.Released(_queuedBytes);
            _queuedBytes = 0;
            _completed = true;
            completion = _completion;
        }

        completion?.TrySetResult();
    }

    /// <summary>
    /// Counts the frame just sent as gone and takes the next one, under one lock since fan-out contends
    /// for it; null once the queue is empty: then the writer either stops (a later Send starts a new
    /// one) or, when a close was requested, goes on to send the close frame.
    /// </summary>
    private byte[]? NextFrame(int sentBytes, out bool closing)
    {
        lock (_frames)
        {
            _queuedBytes -= sentBytes;
            _budget.Released(sentBytes);
            closing = _closeRequested;
            if (_frames.TryDequeue(out var frame))
            {
                return frame;
            }

            _writing = closing;
            return null;
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
