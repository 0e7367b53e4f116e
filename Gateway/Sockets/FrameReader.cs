using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Reads whole messages, enforcing the frame size limit and the text-only, UTF-8-only rules. Between
/// messages it holds no buffer: it waits with a zero-byte read and rents one only once a message
/// arrives, so an idle socket costs no buffer memory.
/// </summary>
internal sealed class FrameReader(WebSocket socket, int maxFrameBytes) : IDisposable
{
    private const int InitialBufferBytes = 4096;
    private byte[]? _buffer;

    /// <summary>
    /// Waits for the next message; the payload of the previous one is no longer valid afterwards. Not an
    /// async method, so a waiting socket holds no state machine of the reader's.
    /// </summary>
    public ValueTask<ValueWebSocketReceiveResult> WaitForMessageAsync()
    {
        ReturnBuffer();
        return socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
    }

    /// <summary>Reads the message whose arrival <paramref name="header"/> (from <see cref="WaitForMessageAsync"/>) announced.</summary>
    public async ValueTask<IncomingFrame> ReadAsync(ValueWebSocketReceiveResult header)
    {
        if (header.MessageType == WebSocketMessageType.Binary)
        {
            return await DiscardAsync(header);
        }

        if (Classify(header) is { } early)
        {
            return early;
        }

        var length = 0;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        while (true)
        {
            if (length == _buffer.Length)
            {
                Grow();
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new IncomingFrame(IncomingFrameKind.Closed);
            }

            length += result.Count;
            if (length > maxFrameBytes)
            {
                return new IncomingFrame(IncomingFrameKind.TooLarge);
            }

            if (result.EndOfMessage)
            {
                var payload = _buffer.AsMemory(0, length);
                return Utf8.IsValid(payload.Span)
                    ? new IncomingFrame(IncomingFrameKind.Text, payload)
                    : new IncomingFrame(IncomingFrameKind.InvalidUtf8);
            }
        }
    }

    public void Dispose() => ReturnBuffer();

    /// <summary>
    /// A binary message is refused, but still read to its end: left unread it would stand in front of every
    /// later frame, the client's close among them, and each wait for the next message would return it again.
    /// </summary>
    private async ValueTask<IncomingFrame> DiscardAsync(ValueWebSocketReceiveResult header)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var result = header;
        while (!result.EndOfMessage)
        {
            result = await socket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new IncomingFrame(IncomingFrameKind.Closed);
            }
        }

        return new IncomingFrame(IncomingFrameKind.Binary);
    }

    /// <summary>What the zero-byte read already tells: a close or an empty text message.</summary>
    private static IncomingFrame? Classify(ValueWebSocketReceiveResult header) => header.MessageType switch
    {
        WebSocketMessageType.Close => new IncomingFrame(IncomingFrameKind.Closed),
        _ when header.EndOfMessage => new IncomingFrame(IncomingFrameKind.Text, ReadOnlyMemory<byte>.Empty),
        _ => null,
    };

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private void Grow()
    {
        // One byte past the limit is enough to tell that a message is too large.
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer!.Length * 2, maxFrameBytes + 1));
        _buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
