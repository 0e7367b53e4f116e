using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;

namespace OrleansChat.Gateway.Sockets;

/// <summary>Reads whole messages, enforcing the frame size limit and the text-only, UTF-8-only rules.</summary>
internal sealed class FrameReader(WebSocket socket, int maxFrameBytes) : IDisposable
{
    private const int InitialBufferBytes = 4096;
    private byte[]? _buffer;

    public async Task<IncomingFrame> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
            if (length == _buffer.Length)
            {
                Grow();
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new IncomingFrame(IncomingFrameKind.Closed);
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                return new IncomingFrame(IncomingFrameKind.Binary);
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

    public void Dispose()
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
